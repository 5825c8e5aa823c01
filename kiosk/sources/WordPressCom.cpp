// v1.1 comment JSON -> Post. Ids are qualified by the site (site_ID, or the configured site).
#include "kiosk/sources/WordPressCom.h"

#include "kiosk/base/Url.h"
#include "kiosk/sources/SourceRegistry.h"
#include "kiosk/text/Html.h"

#include <nlohmann/json.hpp>

namespace kiosk {
namespace {

using nlohmann::json;

Post readComment(const json& c, const std::string& site) {
    if (!c.is_object()) {
        throw std::runtime_error("expected a comment object");
    }
    const std::string id = jsonIdString(c.value("ID", json()));
    if (id.empty()) {
        throw std::runtime_error("comment has no ID");
    }
    Post post;
    post.source = "wpcom";
    post.id = "wpcom:" + site + ":" + id;
    const std::string date = textAt(c, "date");
    const auto when = parseIsoTime(date);
    if (!when) {
        throw std::runtime_error("comment " + id + " has no valid date (\"" + date + "\")");
    }
    post.createdAt = *when;
    post.url = webUrlOrEmpty(textAt(c, "URL"));
    const json author = c.value("author", json::object());
    post.author.name = cleanInlineText(textAt(author, "name"));
    if (post.author.name.empty()) {
        post.author.name = "Anonymous";
    }
    post.author.avatar = webUrlOrEmpty(textAt(author, "avatar_URL"));
    post.author.url = webUrlOrEmpty(textAt(author, "URL"));
    HtmlText body = htmlToText(textAt(c, "content"));
    post.text = std::move(body.text);
    post.links = std::move(body.links);
    // parent is false for top-level comments and {ID, type, link} for replies.
    const json parent = c.value("parent", json());
    if (parent.is_object()) {
        if (auto pid = jsonIdString(parent.value("ID", json())); !pid.empty()) {
            post.isReply = true;
            post.parentId = "wpcom:" + site + ":" + pid;
        }
    }
    const json postInfo = c.value("post", json::object());
    post.context = htmlToText(textAt(postInfo, "title")).text;
    return post;
}

} // namespace

Result<ParseOutput> parseWordPressCom(std::string_view body, const ParseContext& context) {
    UntrustedJson parsed = parseUntrustedJson(body);
    if (!parsed.problem.empty()) {
        return Error{parsed.problem + " (expected WordPress.com comments)"};
    }
    json& doc = parsed.doc;
    if (doc.is_object() && doc.contains("error") && doc.contains("message")) {
        return Error{"WordPress.com said: " + textAt(doc, "message") + " (" + textAt(doc, "error") +
                     ")"};
    }
    std::string site = context.server;
    if (site.empty() && doc.is_object() && doc.contains("site_ID")) {
        site = jsonIdString(doc["site_ID"]);
    }
    if (site.empty()) {
        site = "wordpress.com";
    }
    json list;
    if (doc.is_object() && doc.contains("comments") && doc["comments"].is_array()) {
        list = doc["comments"];
    } else if (doc.is_object() && doc.contains("ID") && doc.contains("date")) {
        list = json::array({doc}); // a single comment
    } else {
        return Error{"expected {\"comments\": [...]} from the WordPress.com v1.1 API"};
    }
    ParseOutput out;
    for (std::size_t i = 0; i < list.size(); ++i) {
        out.record("comment", i, [&]() -> std::optional<Post> {
            const std::string status = textAt(list[i], "status");
            if (!status.empty() && status != "approved") {
                return std::nullopt;
            }
            return readComment(list[i], site);
        });
    }
    return out;
}

WordPressComSource::WordPressComSource(Settings settings) : settings_(std::move(settings)) {}

std::string WordPressComSource::label() const {
    std::string posts;
    for (auto id : settings_.postIds) {
        posts += (posts.empty() ? " post " : ",") + std::to_string(id);
    }
    return "wpcom " + settings_.site + posts;
}

std::vector<std::string> WordPressComSource::hosts() const {
    return {hostOf(settings_.apiBase)};
}

std::string WordPressComSource::requestUrl(long long postId) const {
    std::string url =
        trimTrailingSlash(settings_.apiBase) + "/rest/v1.1/sites/" + percentEncode(settings_.site);
    url += postId > 0 ? "/posts/" + std::to_string(postId) + "/replies/" : "/comments/";
    return url + "?number=100&order=DESC";
}

PollOutput WordPressComSource::poll(HttpClient& http, const PollSettings& settings) {
    PollOutput out;
    std::vector<long long> targets = settings_.postIds;
    if (targets.empty()) {
        targets = {0};
    }
    for (long long postId : targets) {
        ++out.requests;
        Fetched fetched = fetchAndParse(http, settings.request(requestUrl(postId)),
                                        parseWordPressCom, {settings_.site, settings.now}, "wpcom");
        if (!fetched.ok()) {
            out.error = fetched.error;
            continue; // the other posts' comments still load
        }
        out.skippedRecords += int(fetched.out.skipped.size());
        for (auto& p : fetched.out.posts) {
            out.posts.push_back(std::move(p));
        }
    }
    return out;
}

std::unique_ptr<Source> makeWordPressComSource(ObjectReader& r, const SourceContext&) {
    WordPressComSource::Settings s;
    s.site = r.string("site", "", true);
    if (s.site.find('/') != std::string::npos) {
        r.error("site",
                "expected the site's domain (\"camp.wordpress.com\") or numeric id, not a URL");
    }
    s.postIds = r.integerList("posts");
    s.apiBase = r.string("api_base", s.apiBase);
    if (!isWebUrl(s.apiBase)) {
        r.error("api_base", "expected an https:// URL");
    }
    s.interval = std::chrono::seconds(r.integer("poll_seconds", 120, 30, 86400));
    return std::make_unique<WordPressComSource>(std::move(s));
}

} // namespace kiosk
