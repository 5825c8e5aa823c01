// JSON form of a Post, field names and order as in the contract that tests and tools read.
#include "kiosk/core/Post.h"

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

std::string contentId(std::string_view text) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : text) {
        h = (h ^ c) * 1099511628211ull;
    }
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return buf;
}

std::string toJsonLine(const Post& post) {
    // Replace invalid UTF-8 instead of throwing: one odd byte must not lose the post.
    return toJson(post).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace kiosk
