// WordPress comment JSON -> Post. date_gmt has no zone designator and is UTC; avatars may be
// absent entirely (Show Avatars off) or false per size; meta may be [] instead of {}.
#include "kiosk/sources/WordPress.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"
#include "kiosk/sources/SourceRegistry.h"
#include "kiosk/text/Html.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace kiosk {
namespace {

using nlohmann::json;

std::string bestAvatar(const json& comment) {
    auto it = comment.find("author_avatar_urls");
    if (it == comment.end() || !it->is_object()) {
        return {};
    }
    for (const char* size : {"96", "48", "24"}) {
        if (auto url = webUrlOrEmpty(textAt(*it, size)); !url.empty()) {
            return url;
        }
    }
    return {};
}

Post readComment(const json& c, const std::string& contextServer) {
    if (!c.is_object()) {
        throw std::runtime_error("expected a comment object");
    }
    const std::string id = jsonIdString(c.value("id", json()));
    if (id.empty()) {
        throw std::runtime_error("comment has no id");
    }
    std::string server = contextServer;
    if (server.empty()) {
        server = hostOf(textAt(c, "link"));
    }
    Post post;
    post.source = "wordpress";
    post.id = "wordpress:" + server + ":" + id;
    const std::string date = textAt(c, "date_gmt");
    const auto when = parseIsoTime(date);
    if (!when) {
        throw std::runtime_error("comment " + id + " has no valid date_gmt (\"" + date + "\")");
    }
    post.createdAt = *when;
    post.url = webUrlOrEmpty(textAt(c, "link"));
    post.author.name = cleanInlineText(textAt(c, "author_name"));
    if (post.author.name.empty()) {
        post.author.name = "Anonymous";
    }
    post.author.url = webUrlOrEmpty(textAt(c, "author_url"));
    post.author.avatar = bestAvatar(c);
    const auto content = c.find("content");
    if (content != c.end() && content->is_object()) {
        HtmlText body = htmlToText(textAt(*content, "rendered"));
        post.text = std::move(body.text);
        post.links = std::move(body.links);
    }
    const std::string parent = jsonIdString(c.value("parent", json()));
    post.isReply = !parent.empty() && parent != "0";
    if (post.isReply) {
        post.parentId = "wordpress:" + server + ":" + parent;
    }
    return post;
}

} // namespace

Result<ParseOutput> parseWordPress(std::string_view body, const ParseContext& context) {
    UntrustedJson parsed = parseUntrustedJson(body);
    if (!parsed.problem.empty()) {
        return Error{parsed.problem + " (expected a list of WordPress comments)"};
    }
    json& doc = parsed.doc;
    if (doc.is_object() && doc.contains("code") && doc.contains("message")) {
        return Error{"WordPress said: " + doc["message"].dump() + " (" + doc["code"].dump() + ")"};
    }
    if (doc.is_object() && doc.contains("id") && doc.contains("date_gmt")) {
        doc = json::array({doc}); // a single comment (GET /wp/v2/comments/:id)
    }
    if (!doc.is_array()) {
        return Error{
            "expected a JSON list of comments, got " +
            std::string(doc.is_object() ? "an object that is not a comment" : doc.type_name())};
    }
    ParseOutput out;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        out.record("comment", i, [&]() -> std::optional<Post> {
            const std::string status = doc[i].is_object() ? textAt(doc[i], "status") : "";
            // Anonymous requests only see approved comments; anything else is not for a wall.
            if (!status.empty() && status != "approved") {
                return std::nullopt;
            }
            return readComment(doc[i], context.server);
        });
    }
    return out;
}

WordPressSource::WordPressSource(Settings settings)
    : settings_(std::move(settings)), host_(hostOf(settings_.site)) {
    if (host_.empty()) {
        host_ = settings_.site;
    }
}

std::string WordPressSource::label() const {
    std::string posts;
    for (auto id : settings_.postIds) {
        posts += (posts.empty() ? " post " : ",") + std::to_string(id);
    }
    return "wordpress " + host_ + posts;
}

std::string WordPressSource::saveState() const {
    if (loaded_.empty()) {
        return {};
    }
    nlohmann::json titles = nlohmann::json::object();
    for (const auto& [id, title] : titles_) {
        titles[std::to_string(id)] = title;
    }
    return nlohmann::json{{"loaded", loaded_}, {"titles", titles}}.dump();
}

void WordPressSource::loadState(const std::string& state) {
    const auto j = nlohmann::json::parse(state, nullptr, false);
    if (!j.is_object()) {
        return;
    }
    if (j.contains("loaded") && j["loaded"].is_array()) {
        for (const auto& id : j["loaded"]) {
            if (id.is_number_integer()) {
                loaded_.insert(id.get<long long>()); // older pages were read in an earlier run
            }
        }
    }
    if (j.contains("titles") && j["titles"].is_object()) {
        for (const auto& [id, title] : j["titles"].items()) {
            if (title.is_string()) {
                titles_[std::atoll(id.c_str())] = title.get<std::string>();
            }
        }
    }
}

std::string WordPressSource::restBase() const {
    return settings_.restBase.empty() ? trimTrailingSlash(settings_.site) + "/wp-json/wp/v2"
                                      : trimTrailingSlash(settings_.restBase);
}

std::string WordPressSource::requestUrl(long long postId, int page) const {
    if (!settings_.urlOverride.empty()) {
        return settings_.urlOverride;
    }
    std::string url = restBase() + "/comments?per_page=100&orderby=date_gmt&order=desc";
    if (postId > 0) {
        url += "&post=" + std::to_string(postId);
    }
    if (page > 1) {
        url += "&page=" + std::to_string(page);
    }
    return url;
}

std::string WordPressSource::postTitle(HttpClient& http, const PollSettings& settings,
                                       long long postId) {
    auto it = titles_.find(postId);
    if (it != titles_.end()) {
        return it->second;
    }
    const HttpRequest request = settings.request(restBase() + "/posts/" + std::to_string(postId) +
                                                 "?_fields=id,title,link");
    const HttpResponse response = http.send(request);
    const auto doc = parseUntrustedJson(response.body).doc;
    if (!response.ok() || !doc.is_object() || !doc.contains("title")) {
        // Comments still show; the title is tried again on the next poll.
        logWarn("wordpress", "no title for the post: " + describeApiFailure(request, response));
        return {};
    }
    const std::string title = htmlToText(textAt(doc["title"], "rendered")).text;
    titles_[postId] = title;
    return title;
}

PollOutput WordPressSource::poll(HttpClient& http, const PollSettings& settings) {
    PollOutput out;
    std::vector<long long> targets = settings_.postIds;
    if (targets.empty() || !settings_.urlOverride.empty()) {
        targets = {0}; // every comment on the site (or the one configured URL)
    }
    for (long long postId : targets) {
        std::string title;
        if (postId > 0 && settings_.urlOverride.empty()) {
            ++out.requests;
            title = postTitle(http, settings, postId);
        }
        // The first load pages back through older comments; later polls only need the newest
        // page, since new comments arrive at the top.
        const int maxPages = loaded_.count(postId) ? 1 : settings_.firstLoadPages;
        for (int page = 1; page <= maxPages; ++page) {
            ++out.requests;
            Fetched fetched = fetchAndParse(http, settings.request(requestUrl(postId, page)),
                                            parseWordPress, {host_, settings.now}, "wordpress");
            if (!fetched.ok()) {
                out.error = fetched.error;
                break;
            }
            loaded_.insert(postId);
            out.skippedRecords += int(fetched.out.skipped.size());
            for (auto& post : fetched.out.posts) {
                post.context = title;
                out.posts.push_back(std::move(post));
            }
            const std::string pages = fetched.response.header("x-wp-totalpages");
            if (pages.empty() || std::atoi(pages.c_str()) <= page) {
                break;
            }
        }
    }
    return out;
}

std::unique_ptr<Source> makeWordPressSource(ObjectReader& r, const SourceContext& context) {
    WordPressSource::Settings s;
    s.site = r.string("site", "", true);
    if (!s.site.empty() && !isWebUrl(s.site)) {
        r.error("site", "expected the blog's address, such as \"https://blog.example.org\"");
    }
    s.postIds = r.integerList("posts");
    for (auto id : s.postIds) {
        if (id <= 0) {
            r.error("posts", "post ids are positive numbers, got " + std::to_string(id));
        }
    }
    // WordPress.com serves the same API at public-api.wordpress.com/wp/v2/sites/<site>.
    s.restBase = r.string("rest_base", "");
    if (!s.restBase.empty() && !isWebUrl(s.restBase)) {
        r.error("rest_base", "expected an https:// URL such as "
                             "\"https://public-api.wordpress.com/wp/v2/sites/camp.wordpress.com\"");
    }
    s.urlOverride = resolveFileUrl(r.string("url", ""), context.configDir);
    s.interval = std::chrono::seconds(r.integer("poll_seconds", 60, 10, 86400));
    return std::make_unique<WordPressSource>(std::move(s));
}

} // namespace kiosk
