// The organiser's JSON API as one table: method, path, who may call it, and what runs. Each
// handler checks what the request carries (400 naming the field) and hands the work to
// WallControl on the command queue; AdminApi::api finds the row and checks the caller first.
// docs/API.md documents every row.
#include "kiosk/admin/AdminApi.h"
#include "kiosk/base/Time.h"

#include <algorithm>
#include <cctype>

namespace kiosk {
namespace {

using nlohmann::json;
using Caller = AdminApi::Caller;

UnixTime optionalTime(const json& body, const char* field) {
    auto text = optionalString(body, field);
    if (!text || text->empty()) {
        return 0;
    }
    auto t = parseIsoTime(*text);
    if (!t) {
        throw BadRequest(std::string(field) +
                         ": expected a time like 2026-07-14T18:00:00Z, got \"" + *text + "\"");
    }
    return *t;
}

constexpr std::size_t kMaxHashtags = 30;

std::vector<std::string> hashtagList(const json& body) {
    auto it = body.find("hashtags");
    if (it == body.end() || !it->is_array() || it->empty()) {
        throw BadRequest("hashtags: required, a non-empty list of strings");
    }
    if (it->size() > kMaxHashtags) {
        throw BadRequest("hashtags: at most " + std::to_string(kMaxHashtags) + ", got " +
                         std::to_string(it->size()));
    }
    std::vector<std::string> tags;
    for (std::size_t i = 0; i < it->size(); ++i) {
        const json& v = (*it)[i];
        const std::string field = "hashtags[" + std::to_string(i) + "]";
        if (!v.is_string()) {
            throw BadRequest(field + ": expected a string");
        }
        std::string tag = v.get<std::string>();
        if (!tag.empty() && tag.front() == '#') {
            tag.erase(0, 1);
        }
        if (tag.size() > 100 || !isHashtagText(tag)) {
            throw BadRequest(field + ": \"" + v.get<std::string>() +
                             "\" is not a hashtag (letters, digits and _ only)");
        }
        tags.push_back(std::move(tag));
    }
    return tags;
}

std::size_t postLimit(const AdminRequest& request) {
    const auto it = request.query.find("limit");
    const std::string text = it == request.query.end() ? "50" : it->second;
    if (text.empty() || text.size() > 4 ||
        !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) {
        throw BadRequest("limit: expected a number, got \"" + text + "\"");
    }
    const std::size_t limit = std::stoul(text);
    if (limit < 1 || limit > 500) {
        throw BadRequest("limit: expected 1 to 500, got " + text);
    }
    return limit;
}

std::string queryValue(const AdminRequest& request, const char* key, const std::string& fallback) {
    const auto it = request.query.find(key);
    return it == request.query.end() ? fallback : it->second;
}

// The id of a post action's body.
std::string postId(const AdminRequest& request) {
    return requiredString(parseBody(request), "id");
}

// An author or domain block's body; `on` blocks, else unblocks.
AdminResponse block(AdminApi& api, const AdminRequest& request, bool on) {
    const json body = parseBody(request);
    const std::string kind = requiredString(body, "kind");
    if (kind != "author" && kind != "domain") {
        throw BadRequest("kind: expected \"author\" or \"domain\", got \"" + kind + "\"");
    }
    const std::string value = requiredString(body, "value", 300);
    if (hasControlCharacters(value)) {
        throw BadRequest("value: contains control or direction-changing characters");
    }
    return api.run([=](WallControl& c) { return c.block(kind, value, on); });
}

} // namespace

const std::vector<AdminApi::Route>& AdminApi::routes() {
    using R = const AdminRequest&;
    using S = const std::string&;
    static const std::vector<Route> table = {
        {"POST", "/api/login", Caller::Anyone, [](AdminApi& a, R r, S) { return a.login(r); }},
        {"GET", "/api/session", Caller::Organiser,
         [](AdminApi& a, R r, S) { return a.session(r); }},
        {"POST", "/api/logout", Caller::Organiser, [](AdminApi& a, R r, S) { return a.logout(r); }},
        {"GET", "/api/status", Caller::Organiser,
         [](AdminApi& a, R, S) { return a.run([](WallControl& c) { return c.status(); }); }},
        {"POST", "/api/wipe", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             const std::string confirm = requiredString(parseBody(r), "confirm");
             return a.run([confirm](WallControl& c) { return c.wipe(confirm); });
         }},
        {"GET", "/api/media/", Caller::Organiser,
         [](AdminApi& a, R, S key) { return a.media(key); }},
        {"GET", "/api/posts", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             const std::string state = queryValue(r, "state", "queued");
             const std::string q = queryValue(r, "q", "");
             const std::size_t limit = postLimit(r);
             return a.run([=](WallControl& c) { return c.posts(state, q, limit); });
         }},
        {"POST", "/api/posts/approve", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             return a.run([id = postId(r)](WallControl& c) { return c.approve(id); });
         }},
        {"POST", "/api/posts/hide", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             return a.run([id = postId(r)](WallControl& c) { return c.hide(id); });
         }},
        {"POST", "/api/posts/pin", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             return a.run([id = postId(r)](WallControl& c) { return c.pin(id, true); });
         }},
        {"POST", "/api/posts/unpin", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             return a.run([id = postId(r)](WallControl& c) { return c.pin(id, false); });
         }},
        {"GET", "/api/blocks", Caller::Organiser,
         [](AdminApi& a, R, S) { return a.run([](WallControl& c) { return c.blocks(); }); }},
        {"POST", "/api/blocks", Caller::Organiser,
         [](AdminApi& a, R r, S) { return block(a, r, true); }},
        {"POST", "/api/blocks/remove", Caller::Organiser,
         [](AdminApi& a, R r, S) { return block(a, r, false); }},
        {"GET", "/api/announcements", Caller::Organiser,
         [](AdminApi& a, R, S) { return a.run([](WallControl& c) { return c.announcements(); }); }},
        {"POST", "/api/announcements", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             const json body = parseBody(r);
             const std::string text = requiredString(body, "text", 1000);
             const UnixTime from = optionalTime(body, "from"), until = optionalTime(body, "until");
             return a.run([=](WallControl& c) { return c.addAnnouncement(text, from, until); });
         }},
        {"POST", "/api/announcements/delete", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             return a.run([id = postId(r)](WallControl& c) { return c.deleteAnnouncement(id); });
         }},
        {"GET", "/api/hashtags", Caller::Organiser,
         [](AdminApi& a, R, S) { return a.run([](WallControl& c) { return c.hashtags(); }); }},
        {"PUT", "/api/hashtags", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             const auto tags = hashtagList(parseBody(r));
             return a.run([tags](WallControl& c) { return c.setHashtags(tags); });
         }},
        {"GET", "/api/sources", Caller::Organiser,
         [](AdminApi& a, R, S) { return a.run([](WallControl& c) { return c.sources(); }); }},
        {"PUT", "/api/sources", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             const json body = parseBody(r);
             auto it = body.find("sources");
             if (it == body.end() || !it->is_array()) {
                 throw BadRequest(
                     "sources: required, a list of source objects as in the config file");
             }
             return a.run([list = *it](WallControl& c) { return c.setSources(list); });
         }},
        {"POST", "/api/sources/try", Caller::Organiser,
         [](AdminApi& a, R r, S) { return a.trySource(parseBody(r)); }},
        {"PUT", "/api/moderation", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             const json body = parseBody(r);
             const auto mode = optionalString(body, "mode");
             const auto panic = optionalString(body, "panic");
             if (!mode && !panic) {
                 throw BadRequest("mode, panic: send at least one");
             }
             return a.run([=](WallControl& c) { return c.setModeration(mode, panic); });
         }},
        {"PUT", "/api/attendees", Caller::Organiser,
         [](AdminApi& a, R r, S) {
             const json body = parseBody(r);
             const auto enabled = optionalBool(body, "enabled"), qr = optionalBool(body, "qr"),
                        approveFirst = optionalBool(body, "approve_first");
             if (!enabled && !qr && !approveFirst) {
                 throw BadRequest("enabled, qr, approve_first: send at least one");
             }
             return a.run([=](WallControl& c) { return c.setVenue(enabled, qr, approveFirst); });
         }},
    };
    return table;
}

} // namespace kiosk
