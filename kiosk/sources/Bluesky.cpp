// postView JSON -> Post. The web URL is not in the payload and is built from handle and rkey.
#include "kiosk/sources/Bluesky.h"

#include "kiosk/base/Url.h"
#include "kiosk/text/Html.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace kiosk {
namespace {

using nlohmann::json;

std::string typeOf(const json& obj) {
    return textAt(obj, "$type");
}

bool typeIs(const json& obj, std::string_view suffix) {
    const std::string t = typeOf(obj);
    return t.size() >= suffix.size() &&
           t.compare(t.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Labels in force: post labels, author labels and the record's self-labels; neg cancels.
std::set<std::string> labelsOf(const json& post) {
    std::set<std::string> on, off;
    const auto read = [&](const json& list) {
        if (!list.is_array()) {
            return;
        }
        for (const auto& l : list) {
            const std::string val = textAt(l, "val");
            if (!val.empty()) {
                (flagAt(l, "neg") ? off : on).insert(val);
            }
        }
    };
    read(memberAt(post, "labels"));
    read(memberAt(memberAt(post, "author"), "labels"));
    read(memberAt(memberAt(memberAt(post, "record"), "labels"), "values"));
    for (const auto& v : off) {
        on.erase(v);
    }
    return on;
}

void readImages(const json& images, Post& post, const char* fullKey) {
    if (!images.is_array()) {
        return;
    }
    for (const auto& img : images) {
        Media m;
        m.url = webUrlOrEmpty(textAt(img, fullKey));
        if (m.url.empty()) {
            m.url = webUrlOrEmpty(textAt(img, "thumb"));
        }
        m.alt = textAt(img, "alt");
        const json& ratio = memberAt(img, "aspectRatio");
        if (ratio.is_object()) {
            m.width = jsonDimension(ratio, "width");
            m.height = jsonDimension(ratio, "height");
        }
        m.kind = "image";
        if (!m.url.empty()) {
            post.media.push_back(std::move(m));
        }
    }
}

void readEmbed(const json& embed, Post& post) {
    if (!embed.is_object()) {
        return;
    }
    if (typeIs(embed, "embed.images#view")) {
        readImages(memberAt(embed, "images"), post, "fullsize");
    } else if (typeIs(embed, "embed.gallery#view")) {
        readImages(memberAt(embed, "items"), post, "fullsize");
    } else if (typeIs(embed, "embed.video#view")) {
        Media m;
        m.url = webUrlOrEmpty(textAt(embed, "thumbnail"));
        m.alt = textAt(embed, "alt");
        m.kind = "video";
        const json& ratio = memberAt(embed, "aspectRatio");
        if (ratio.is_object()) {
            m.width = jsonDimension(ratio, "width");
            m.height = jsonDimension(ratio, "height");
        }
        if (!m.url.empty()) {
            post.media.push_back(std::move(m));
        }
    } else if (typeIs(embed, "embed.external#view")) {
        const json& ext = memberAt(embed, "external");
        if (auto uri = webUrlOrEmpty(textAt(ext, "uri"));
            !uri.empty() &&
            std::find(post.links.begin(), post.links.end(), uri) == post.links.end()) {
            post.links.push_back(uri);
        }
        if (auto thumb = webUrlOrEmpty(textAt(ext, "thumb")); !thumb.empty()) {
            post.media.push_back({thumb, textAt(ext, "title"), 0, 0, "card"});
        }
    } else if (typeIs(embed, "embed.record#view")) {
        const json& quoted = memberAt(embed, "record");
        const std::string handle = textAt(memberAt(quoted, "author"), "handle");
        if (typeIs(quoted, "#viewRecord") && !handle.empty()) {
            post.context = "quoting @" + handle;
        }
    } else if (typeIs(embed, "embed.recordWithMedia#view")) {
        readEmbed(memberAt(embed, "media"), post);
        // The record part is a record#view, whether or not it says so in "$type".
        json record = memberAt(embed, "record");
        if (record.is_object() && !record.contains("$type")) {
            record["$type"] = "app.bsky.embed.record#view";
        }
        readEmbed(record, post);
    }
}

void readFacets(const json& facets, const std::string& text, Post& post) {
    if (!facets.is_array()) {
        return;
    }
    for (const auto& facet : facets) {
        const json& index = memberAt(facet, "index");
        const json& start = memberAt(index, "byteStart");
        const json& end = memberAt(index, "byteEnd");
        const json& features = memberAt(facet, "features");
        if (!start.is_number_integer() || !end.is_number_integer() || !features.is_array()) {
            continue; // a broken facet only loses its decoration, never the post
        }
        const std::string slice = utf8Slice(text, start.get<long long>(), end.get<long long>());
        for (const auto& f : features) {
            if (typeIs(f, "#link")) {
                if (auto uri = webUrlOrEmpty(textAt(f, "uri")); !uri.empty()) {
                    post.links.push_back(uri);
                }
            } else if (typeIs(f, "#tag")) {
                if (auto tag = textAt(f, "tag"); !tag.empty()) {
                    post.hashtags.push_back(tag);
                }
            } else if (typeIs(f, "#mention") && slice.size() > 1 && slice[0] == '@') {
                post.mentions.push_back(slice.substr(1));
            }
        }
    }
}

// Returns false when the post must not be shown on a public wall.
bool readPostView(const json& view, bool repost, Post& post) {
    if (!view.is_object()) {
        throw std::runtime_error("expected a postView object");
    }
    const std::string uri = textAt(view, "uri");
    const json& author = memberAt(view, "author");
    const json& record = memberAt(view, "record");
    if (uri.rfind("at://", 0) != 0) {
        throw std::runtime_error("post has no at:// uri");
    }
    if (!author.is_object() || !record.is_object()) {
        throw std::runtime_error(uri + ": post has no author or record");
    }
    const auto labels = labelsOf(view);
    for (const char* hidden : {"!no-unauthenticated", "!hide"}) {
        if (labels.count(hidden)) {
            return false; // the author or a moderator asked not to be shown to the public
        }
    }
    post.source = "bluesky";
    post.id = "bluesky:" + uri;
    post.isRepost = repost;
    const std::string handle = textAt(author, "handle");
    post.author.handle = handle.empty() ? "" : "@" + handle;
    post.author.name = cleanInlineText(textAt(author, "displayName"));
    if (post.author.name.empty()) {
        post.author.name = handle.empty() ? textAt(author, "did") : handle;
    }
    post.author.avatar = webUrlOrEmpty(textAt(author, "avatar"));
    // searchPosts gives a profileViewBasic, which has no description; a fuller view does.
    post.author.noWall = asksNotToBeOnWalls(textAt(author, "description"));
    const std::string profile = handle.empty() ? textAt(author, "did") : handle;
    post.author.url = "https://bsky.app/profile/" + profile;
    post.url = post.author.url + "/post/" + uri.substr(uri.rfind('/') + 1);
    // indexedAt is the server's clock; createdAt is whatever the client claimed.
    auto when = parseIsoTime(textAt(view, "indexedAt"));
    if (!when) {
        when = parseIsoTime(textAt(record, "createdAt"));
    }
    if (!when) {
        throw std::runtime_error(uri + ": post has no valid indexedAt or createdAt");
    }
    post.createdAt = *when;
    post.text = textAt(record, "text");
    readFacets(memberAt(record, "facets"), post.text, post);
    if (const json& tags = memberAt(record, "tags"); tags.is_array()) {
        for (const auto& t : tags) {
            if (t.is_string()) {
                post.hashtags.push_back(t.get<std::string>());
            }
        }
    }
    if (const json& langs = memberAt(record, "langs");
        langs.is_array() && !langs.empty() && langs[0].is_string()) {
        post.lang = langs[0].get<std::string>();
    }
    const json& reply = memberAt(record, "reply");
    if (reply.is_object()) {
        post.isReply = true;
        if (auto parent = textAt(memberAt(reply, "parent"), "uri"); !parent.empty()) {
            post.parentId = "bluesky:" + parent;
        }
    }
    readEmbed(memberAt(view, "embed"), post);
    for (const char* adult : {"porn", "sexual", "nudity", "graphic-media", "gore"}) {
        if (labels.count(adult)) {
            post.sensitive = true;
            post.spoiler = std::string("Labelled ") + adult;
        }
    }
    if (labels.count("!warn") && post.spoiler.empty()) {
        post.sensitive = true;
        post.spoiler = "Content warning";
    }
    return true;
}

} // namespace

std::string utf8Slice(std::string_view text, long long byteStart, long long byteEnd) {
    const long long size = static_cast<long long>(text.size());
    long long s = std::clamp(byteStart, 0LL, size);
    long long e = std::clamp(byteEnd, 0LL, size);
    const auto continuation = [&](long long i) {
        return i < size && (static_cast<unsigned char>(text[std::size_t(i)]) & 0xC0) == 0x80;
    };
    while (continuation(s)) {
        ++s; // a range starting mid-character starts at the next whole one
    }
    while (continuation(e)) {
        ++e;
    }
    return e > s ? std::string(text.substr(std::size_t(s), std::size_t(e - s))) : std::string();
}

Result<ParseOutput> parseBluesky(std::string_view body, const ParseContext&) {
    UntrustedJson parsed = parseUntrustedJson(body);
    if (!parsed.problem.empty()) {
        return Error{parsed.problem + " (expected Bluesky searchPosts results)"};
    }
    const json& doc = parsed.doc;
    if (doc.is_object() && doc.contains("error") && doc.contains("message")) {
        return Error{"Bluesky said: " + textAt(doc, "error") + ": " + textAt(doc, "message")};
    }
    // Items are (postView, reposted?) pairs, whatever the envelope.
    std::vector<std::pair<const json*, bool>> items;
    const auto addFeedItem = [&items](const json& item) {
        const bool repost = typeIs(memberAt(item, "reason"), "#reasonRepost");
        items.emplace_back(item.contains("post") ? &item["post"] : &item, repost);
    };
    if (doc.is_object() && memberAt(doc, "posts").is_array()) {
        for (const auto& p : doc["posts"]) {
            items.emplace_back(&p, false);
        }
    } else if (doc.is_object() && memberAt(doc, "feed").is_array()) {
        for (const auto& item : doc["feed"]) {
            addFeedItem(item);
        }
    } else if (doc.is_object() && memberAt(memberAt(doc, "thread"), "post").is_object()) {
        items.emplace_back(&doc["thread"]["post"], false);
    } else if (doc.is_object() && (doc.contains("post") || doc.contains("uri"))) {
        addFeedItem(doc);
    } else if (doc.is_array()) {
        for (const auto& p : doc) {
            addFeedItem(p);
        }
    } else {
        return Error{"expected Bluesky searchPosts results ({\"posts\": [...]}), got " +
                     std::string(doc.type_name())};
    }
    ParseOutput out;
    out.nextPage = textAt(doc, "cursor");
    for (std::size_t i = 0; i < items.size(); ++i) {
        out.record("post", i, [&]() -> std::optional<Post> {
            Post post;
            return readPostView(*items[i].first, items[i].second, post)
                       ? std::optional(std::move(post))
                       : std::nullopt;
        });
    }
    return out;
}

} // namespace kiosk
