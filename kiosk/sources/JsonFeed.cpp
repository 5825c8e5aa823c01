// JSON Feed 1.0 and 1.1 -> Posts. Items inherit the feed's authors; 1.0's singular "author"
// is read when "authors" is absent; extension keys (starting with "_") are ignored.
#include "kiosk/base/Url.h"
#include "kiosk/sources/Feeds.h"
#include "kiosk/text/Html.h"

#include <nlohmann/json.hpp>

namespace kiosk {
namespace {

using nlohmann::json;

Author firstAuthor(const json& obj) {
    Author a;
    const json* source = nullptr;
    if (obj.contains("authors") && obj["authors"].is_array() && !obj["authors"].empty()) {
        source = &obj["authors"][0];
    } else if (obj.contains("author") && obj["author"].is_object()) {
        source = &obj["author"];
    }
    if (source) {
        a.name = cleanInlineText(textAt(*source, "name"));
        a.url = webUrlOrEmpty(textAt(*source, "url"));
        a.avatar = webUrlOrEmpty(textAt(*source, "avatar"));
    }
    return a;
}

Post readItem(const json& item, const std::string& host, const Author& feedAuthor,
              const std::string& feedTitle, const std::string& feedLang, UnixTime now) {
    if (!item.is_object()) {
        throw std::runtime_error("expected an item object");
    }
    const std::string id = jsonIdString(item.value("id", json()));
    if (id.empty()) {
        throw std::runtime_error("item has no id");
    }
    Post post;
    post.source = "jsonfeed";
    post.id = "jsonfeed:" + host + ":" + id;
    post.url = webUrlOrEmpty(textAt(item, "url"));
    if (!post.url.empty()) {
        post.links.push_back(post.url);
    }
    std::string date = textAt(item, "date_published");
    if (date.empty()) {
        date = textAt(item, "date_modified");
    }
    const auto when = parseIsoTime(date);
    if (!when && now == 0) {
        throw std::runtime_error("item " + id + " has no valid date_published (\"" + date + "\")");
    }
    post.createdAt = when ? *when : now; // dateless: the time we first saw it
    post.timeGuessed = !when;
    post.author = firstAuthor(item);
    if (post.author.name.empty()) {
        post.author = feedAuthor;
    }
    if (post.author.name.empty()) {
        post.author.name = feedTitle.empty() ? host : feedTitle;
    }
    const HtmlText html = htmlToText(textAt(item, "content_html"));
    std::string body = html.text;
    if (body.empty()) {
        body = textAt(item, "content_text");
    }
    if (body.empty()) {
        body = textAt(item, "summary");
    }
    const std::string title = cleanInlineText(textAt(item, "title"));
    post.text = title.empty() ? body : body.empty() ? title : title + "\n" + body;
    if (post.text.size() > 600) {
        std::size_t cut = post.text.rfind(' ', 600);
        post.text = post.text.substr(0, cut == std::string::npos ? 600 : cut) + " …";
    }
    post.lang = textAt(item, "language");
    if (post.lang.empty()) {
        post.lang = feedLang;
    }
    if (auto tags = item.find("tags"); tags != item.end() && tags->is_array()) {
        for (const auto& t : *tags) {
            if (t.is_string()) {
                post.hashtags.push_back(t.get<std::string>());
            }
        }
    }
    if (auto image = webUrlOrEmpty(textAt(item, "image")); !image.empty()) {
        post.media.push_back({image, "", 0, 0, "image"});
    }
    for (const auto& [url, alt] : html.images) {
        post.media.push_back({url, alt, 0, 0, "image"});
    }
    if (auto att = item.find("attachments"); att != item.end() && att->is_array()) {
        for (const auto& a : *att) {
            if (textAt(a, "mime_type").rfind("image/", 0) == 0) {
                if (auto url = webUrlOrEmpty(textAt(a, "url")); !url.empty()) {
                    post.media.push_back({url, textAt(a, "title"), 0, 0, "image"});
                }
            }
        }
    }
    if (post.text.empty() && post.media.empty()) {
        throw std::runtime_error("item " + id + " has nothing to show (no title, text or picture)");
    }
    return post;
}

} // namespace

Result<ParseOutput> parseJsonFeed(std::string_view body, const ParseContext& context) {
    UntrustedJson parsed = parseUntrustedJson(body);
    if (!parsed.problem.empty()) {
        return Error{parsed.problem + " (expected a JSON Feed)"};
    }
    const json& doc = parsed.doc;
    // Real feeds say https://jsonfeed.org/version/1.1, /version/1, and even http://.
    if (!doc.is_object() ||
        textAt(doc, "version").find("jsonfeed.org/version/1") == std::string::npos) {
        return Error{"not a JSON Feed (no \"version\": \"https://jsonfeed.org/version/1.1\")"};
    }
    if (!doc.contains("items") || !doc["items"].is_array()) {
        return Error{"JSON Feed has no \"items\" list"};
    }
    std::string host = context.server;
    if (host.empty()) {
        host = hostOf(textAt(doc, "home_page_url"));
    }
    if (host.empty()) {
        host = hostOf(textAt(doc, "feed_url"));
    }
    if (host.empty()) {
        host = "feed";
    }
    const Author feedAuthor = firstAuthor(doc);
    const std::string title = cleanInlineText(textAt(doc, "title"));
    const std::string lang = textAt(doc, "language");
    ParseOutput out;
    const json& items = doc["items"];
    for (std::size_t i = 0; i < items.size(); ++i) {
        out.record("item", i,
                   [&] { return readItem(items[i], host, feedAuthor, title, lang, context.now); });
    }
    return out;
}

} // namespace kiosk
