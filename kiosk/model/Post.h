// The Post contract (docs/ARCHITECTURE.md): one normalised post, whatever network it came from.
// Adapters produce it, the store keeps it, layout reads it, `kiosk parse` prints it as JSON.
#pragma once

#include "kiosk/base/Time.h"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct Author {
    std::string name;   // display name, never empty (falls back to the handle)
    std::string handle; // "@user@server" or "" where the network has none
    std::string avatar; // URL or ""
    std::string url;
    bool bot = false; // the network marks the account as automated
    // The author's profile asks not to be put on walls or collected (#nowall, #nobot): the
    // wall never shows their posts, whatever else is decided.
    bool noWall = false;
};

// Whether a profile's text (plain or HTML) carries #nowall or #nobot, in any case.
bool asksNotToBeOnWalls(std::string_view profile);

struct Media {
    std::string url;
    std::string alt;
    int width = 0;
    int height = 0;
    std::string kind; // image, gifv, video, audio, unknown
};

struct CustomEmoji {
    std::string shortcode;
    std::string url;
};

struct Post {
    std::string id;     // "<source>:<server>:<native id>", unique across sources
    std::string source; // "mastodon", "wordpress", ...
    std::string url;
    UnixTime createdAt = 0;
    Author author;
    std::string text; // plain Unicode, paragraphs split by "\n"
    std::vector<std::string> links;
    std::vector<std::string> hashtags; // without '#'
    std::vector<std::string> mentions; // without '@'
    std::vector<Media> media;
    std::string lang;
    bool sensitive = false;
    std::string spoiler; // content warning text, "" for none
    bool isReply = false;
    bool isRepost = false;
    std::string parentId;
    std::vector<CustomEmoji> customEmoji;
    std::string context;      // e.g. the blog post title a comment belongs to
    bool timeGuessed = false; // the source gave no date; createdAt is when we first saw it
};

// A short stable id for records that carry none (64-bit FNV-1a, hex): same text, same id.
std::string contentId(std::string_view text);

// A picture's width or height from JSON a network (or a stored row) sent: a number from 0 to
// 100,000, else 0. Numbers from the network are never trusted to fit an int: 7.7e112 or
// 2^40 as a width is nonsense, not something to convert.
int jsonDimension(const nlohmann::json& object, const char* key);
int jsonDimension(const nlohmann::ordered_json& object, const char* key);

nlohmann::ordered_json toJson(const Post& post);
std::string toJsonLine(const Post& post);
// The inverse of toJson, for posts kept in the store; nullopt when the JSON is not a post.
std::optional<Post> postFromJson(std::string_view json);

} // namespace kiosk
