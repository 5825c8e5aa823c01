// See VenueApi.h.
#include "kiosk/admin/VenueApi.h"

#include "kiosk/admin/AdminAuth.h"
#include "kiosk/base/Log.h"

namespace kiosk {
namespace {

using nlohmann::json;

// Venue-wide: what a crowd may send in one window before everyone waits.
constexpr int kPostsPerWindowTotal = 120;
constexpr int kRemovalsPerWindowTotal = 30;

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return "";
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// Phones send "\r\n" from a textarea; the wall's paragraphs are "\n", at most one blank line.
std::string paragraphs(const std::string& text) {
    std::string out;
    int newlines = 0;
    for (char c : text) {
        if (c == '\r') {
            continue;
        }
        newlines = c == '\n' ? newlines + 1 : 0;
        if (newlines <= 2) {
            out += c;
        }
    }
    return trimmed(out);
}

std::string minutes(UnixTime seconds) {
    const UnixTime m = (seconds + 59) / 60;
    return m <= 1 ? "a minute" : std::to_string(m) + " minutes";
}

} // namespace

VenueApi::VenueApi(const VenueConfig& config, ControlCall call, PhotoEncoder encoder,
                   std::function<UnixTime()> clock, std::string eventName)
    : config_(config), open_(config.enabled), call_(std::move(call)), encoder_(std::move(encoder)),
      clock_(std::move(clock)), eventName_(std::move(eventName)),
      posts_({config.postsPerDevice, config.windowMinutes * 60LL},
             {config.postsPerAddress, config.windowMinutes * 60LL},
             {kPostsPerWindowTotal, config.windowMinutes * 60LL}),
      removals_({config.removalsPerDevice, config.windowMinutes * 60LL},
                {config.removalsPerDevice * 2, config.windowMinutes * 60LL},
                {kRemovalsPerWindowTotal, config.windowMinutes * 60LL}) {
    photoLimits_.maxBytes = std::size_t(config.maxPhotoMb) * 1024 * 1024;
}

std::size_t VenueApi::bodyLimit(const std::string& method, const std::string& path) const {
    return open_ && method == "POST" && path == "/api/venue/posts"
               ? photoLimits_.maxBytes + 64 * 1024 // the photo and the form around it
               : 0;
}

void VenueApi::apply(const VenueConfig& config) {
    open_ = config.enabled;
}

AdminResponse VenueApi::handle(const AdminRequest& request) {
    if (!open_) {
        return errorResponse(404, "Posting from the venue is not open at this event.");
    }
    const std::string& m = request.method;
    const std::string& p = request.path;
    if (m == "GET" && p == "/api/venue") {
        return info(request);
    }
    if (m == "GET" && p == "/api/venue/onscreen") {
        const Reply reply = call_([](WallControl& c) { return c.venueOnScreen(); });
        return jsonResponse(reply.status, reply.body);
    }
    if (m == "POST" && (p == "/api/venue/posts" || p == "/api/venue/removals")) {
        if (auto refusal = foreign(request)) {
            return *refusal;
        }
        return p == "/api/venue/posts" ? submit(request) : removal(request);
    }
    return errorResponse(404, "no such endpoint: " + m + " " + p);
}

std::optional<AdminResponse> VenueApi::foreign(const AdminRequest& request) const {
    // A page on another site can make a visitor's browser post a form here, but cannot add
    // this header without the wall's permission (a CORS preflight it never gets).
    if (header(request, kPageHeader) != "1") {
        return errorResponse(403, std::string(kPageHeader) + ": send posts from the wall's page");
    }
    if (fromAnotherSite(request)) {
        return errorResponse(403, "Sec-Fetch-Site: posts from another site are refused");
    }
    return std::nullopt;
}

AdminResponse VenueApi::info(const AdminRequest& request) {
    // What the moderator would do now, not only the venue block: in pre-moderation every post
    // waits, approve_first or not, and the page must not promise otherwise.
    const Reply waits = call_([](WallControl& c) { return c.venueWaits(); });
    // A busy wall: promise nothing ("an organiser looks first").
    const bool approveFirst = waits.status != 200 || waits.body.value("waits", true);
    AdminResponse r = jsonResponse(200, json{{"event", eventName_},
                                             {"approve_first", approveFirst},
                                             {"max_text", kMaxText},
                                             {"max_name", kMaxName},
                                             {"max_photo_mb", config_.maxPhotoMb},
                                             {"posts_per_device", config_.postsPerDevice},
                                             {"window_minutes", config_.windowMinutes}});
    // The phone's own counter for the limits; a new one for a phone that has none.
    if (cookieValue(header(request, "cookie"), kDeviceCookie).empty()) {
        r.headers.emplace_back("Set-Cookie", std::string(kDeviceCookie) + "=" + randomToken() +
                                                 "; HttpOnly; SameSite=Strict; Path=/; "
                                                 "Max-Age=604800");
    }
    return r;
}

AdminResponse VenueApi::tooMany(UnixTime wait, const char* what) const {
    AdminResponse r =
        errorResponse(429, std::string("You have ") + what +
                               " a lot just now. Please try again in " + minutes(wait) + ".");
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return r;
}

AdminResponse VenueApi::submit(const AdminRequest& request) {
    if (request.formBroken || (request.form.empty() && request.files.empty())) {
        return errorResponse(400, "The form did not arrive whole; please send it again.");
    }
    const auto field = [&](const char* name) {
        auto it = request.form.find(name);
        return it == request.form.end() ? std::string() : it->second;
    };
    const std::string name = trimmed(field("name"));
    const std::string text = paragraphs(field("text"));
    // The listener hands a photo over on disk; a request made in memory carries it in the form.
    const std::string photoInForm = field("photo");
    const auto spooled = request.files.find("photo");
    const std::string_view photo =
        spooled != request.files.end() && spooled->second ? spooled->second->bytes() : photoInForm;
    if (name.size() > kMaxName * 4 || codePointCount(name) > kMaxName ||
        hasControlCharacters(name)) {
        return errorResponse(400, "name: at most " + std::to_string(kMaxName) +
                                      " characters, on one line.");
    }
    if (text.empty() && photo.empty()) {
        return errorResponse(400, "text: write something or add a photo.");
    }
    if (hasControlCharactersBesidesNewlines(text)) {
        return errorResponse(400, "text: contains characters the wall cannot show.");
    }
    if (const std::size_t n = codePointCount(text); n > kMaxText) {
        return errorResponse(400, "text: " + std::to_string(n) + " characters; the wall takes " +
                                      std::to_string(kMaxText) + ". Please shorten it.");
    }
    const std::string device = cookieValue(header(request, "cookie"), kDeviceCookie);
    const UnixTime now = clock_();
    if (const UnixTime wait = posts_.check(device, request.client, now); wait > 0) {
        return tooMany(wait, "posted");
    }
    VenueSubmission s{name, text, std::nullopt, request.client};
    if (!photo.empty()) {
        auto checked = checkPhoto(photo, photoLimits_);
        if (!checked) {
            return errorResponse(checked.error().find("larger") != std::string::npos ? 413 : 415,
                                 checked.error());
        }
        std::unique_lock lock(decoding_, std::try_to_lock);
        if (!lock.owns_lock()) {
            AdminResponse busy = errorResponse(
                503, "Another photo is being prepared; please send again in a few seconds.");
            busy.headers.emplace_back("Retry-After", "3");
            return busy;
        }
        auto encoded = encoder_ ? encoder_(photo, photoLimits_)
                                : Result<Photo>(Error{"photo: this wall takes no photos"});
        if (!encoded) {
            logWarn("venue", "photo from " + request.client + " refused: " + encoded.error());
            return errorResponse(415, encoded.error());
        }
        s.photo = std::move(encoded.value());
    }
    if (const UnixTime wait = posts_.take(device, request.client, clock_()); wait > 0) {
        return tooMany(wait, "posted");
    }
    const Reply reply = call_([s = std::move(s)](WallControl& c) { return c.venuePost(s); });
    if (reply.status != 201) {
        return jsonResponse(reply.status, reply.body);
    }
    const bool shown = reply.body.value("state", "") == "shown";
    return jsonResponse(201, json{{"id", reply.body.value("id", "")},
                                  {"state", reply.body.value("state", "")},
                                  {"message", shown ? "Thank you! Your post is on the wall."
                                                    : "Thank you! Your post will show once an "
                                                      "organiser has looked at it."}});
}

AdminResponse VenueApi::removal(const AdminRequest& request) {
    const json body = parseBody(request);
    const auto id = optionalString(body, "id");
    const auto link = optionalString(body, "link");
    const std::string wanted = trimmed(id ? *id : link ? *link : "");
    if (wanted.empty() || wanted.size() > 1000) {
        throw BadRequest("link: paste the link of the post, or pick it from the list.");
    }
    const std::string device = cookieValue(header(request, "cookie"), kDeviceCookie);
    if (const UnixTime wait = removals_.take(device, request.client, clock_()); wait > 0) {
        return tooMany(wait, "asked for removals");
    }
    const Reply reply = call_([wanted](WallControl& c) { return c.askRemoval(wanted); });
    if (reply.status != 200) {
        return jsonResponse(reply.status, reply.body);
    }
    return jsonResponse(200, json{{"id", reply.body.value("id", "")},
                                  {"message", "It is off the wall. An organiser will look at "
                                              "it and keep it off."}});
}

} // namespace kiosk
