// JSON form of a Post, field names and order as in the contract that tests and tools read.
#include "kiosk/model/Post.h"

#include "kiosk/base/JsonField.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>

namespace kiosk {

nlohmann::ordered_json toJson(const Post& p) {
    nlohmann::ordered_json j;
    j["id"] = p.id;
    j["source"] = p.source;
    j["url"] = p.url;
    j["created_at"] = formatIsoTime(p.createdAt);
    j["author"] = {{"name", p.author.name},
                   {"handle", p.author.handle},
                   {"avatar", p.author.avatar},
                   {"url", p.author.url}};
    if (p.author.bot) {
        j["author"]["bot"] = true;
    }
    if (p.author.noWall) {
        j["author"]["no_wall"] = true;
    }
    j["text"] = p.text;
    j["links"] = p.links;
    j["hashtags"] = p.hashtags;
    j["mentions"] = p.mentions;
    auto media = nlohmann::ordered_json::array();
    for (const auto& m : p.media) {
        media.push_back({{"url", m.url},
                         {"alt", m.alt},
                         {"width", m.width},
                         {"height", m.height},
                         {"kind", m.kind}});
    }
    j["media"] = std::move(media);
    j["lang"] = p.lang;
    j["sensitive"] = p.sensitive;
    j["spoiler"] = p.spoiler;
    j["is_reply"] = p.isReply;
    j["is_repost"] = p.isRepost;
    j["parent_id"] = p.parentId;
    auto emoji = nlohmann::ordered_json::array();
    for (const auto& e : p.customEmoji) {
        emoji.push_back({{"shortcode", e.shortcode}, {"url", e.url}});
    }
    j["custom_emoji"] = std::move(emoji);
    if (!p.context.empty()) {
        j["context"] = p.context;
    }
    return j;
}

std::optional<Post> postFromJson(std::string_view text) {
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) {
        return std::nullopt;
    }
    Post p;
    p.id = textAt(j, "id");
    p.source = textAt(j, "source");
    p.url = textAt(j, "url");
    p.createdAt = parseIsoTime(textAt(j, "created_at")).value_or(0);
    if (j.contains("author") && j["author"].is_object()) {
        const auto& a = j["author"];
        p.author = {textAt(a, "name"), textAt(a, "handle"), textAt(a, "avatar"),
                    textAt(a, "url"),  flagAt(a, "bot"),    flagAt(a, "no_wall")};
    }
    p.text = textAt(j, "text");
    p.links = textsAt(j, "links");
    p.hashtags = textsAt(j, "hashtags");
    p.mentions = textsAt(j, "mentions");
    if (j.contains("media") && j["media"].is_array()) {
        for (const auto& m : j["media"]) {
            p.media.push_back({textAt(m, "url"), textAt(m, "alt"), jsonDimension(m, "width"),
                               jsonDimension(m, "height"), textAt(m, "kind")});
        }
    }
    p.lang = textAt(j, "lang");
    p.sensitive = flagAt(j, "sensitive");
    p.spoiler = textAt(j, "spoiler");
    p.isReply = flagAt(j, "is_reply");
    p.isRepost = flagAt(j, "is_repost");
    p.parentId = textAt(j, "parent_id");
    if (j.contains("custom_emoji") && j["custom_emoji"].is_array()) {
        for (const auto& e : j["custom_emoji"]) {
            p.customEmoji.push_back({textAt(e, "shortcode"), textAt(e, "url")});
        }
    }
    p.context = textAt(j, "context");
    return p;
}

bool asksNotToBeOnWalls(std::string_view profile) {
    std::string lower(profile);
    for (auto& c : lower) {
        c = char(std::tolower(static_cast<unsigned char>(c)));
    }
    // In HTML (a Mastodon note) the tag is a link: "#<span>nowall</span>".
    for (const std::string_view tag : {"nowall", "nobot"}) {
        for (const std::string_view hash : {"#", "#<span>"}) {
            const std::string needle = std::string(hash) + std::string(tag);
            for (auto at = lower.find(needle); at != std::string::npos;
                 at = lower.find(needle, at + 1)) {
                const std::size_t end = at + needle.size();
                if (end == lower.size() || !std::isalnum(static_cast<unsigned char>(lower[end]))) {
                    return true;
                }
            }
        }
    }
    return false;
}

std::string contentId(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) {
        h = (h ^ c) * 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

namespace {

template <typename Json> int dimensionOf(const Json& object, const char* key) {
    if (!object.is_object()) {
        return 0;
    }
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number()) {
        return 0;
    }
    const double value = it->template get<double>(); // every JSON number fits a double
    return value >= 0 && value <= 100000 ? int(value) : 0;
}

} // namespace

int jsonDimension(const nlohmann::json& object, const char* key) {
    return dimensionOf(object, key);
}

int jsonDimension(const nlohmann::ordered_json& object, const char* key) {
    return dimensionOf(object, key);
}

std::string toJsonLine(const Post& post) {
    // Replace invalid UTF-8 instead of throwing: one odd byte must not lose the post.
    return toJson(post).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace kiosk
