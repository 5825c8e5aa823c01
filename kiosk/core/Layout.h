// Turns the wall's state (a post, the event, a theme, a screen size) into drawing data: boxes,
// lines of text and avatar discs with absolute pixel positions. The renderer only draws what
// this returns, so every placement decision is testable without a display.
#pragma once

#include "kiosk/core/Post.h"
#include "kiosk/core/TextMeasurer.h"
#include "kiosk/core/Theme.h"

#include <string>
#include <vector>

namespace kiosk {

struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
};

struct BoxItem {
    Rect rect;
    Color color;
    int radius = 0;
};

struct TextItem {
    int x = 0, y = 0; // top-left of the line box
    int width = 0;    // measured width of text
    int height = 0;   // line height
    std::string text;
    FontRole role = FontRole::Regular;
    int px = 0;
    Color color;
    bool rtl = false; // paragraph base direction, for the bidi algorithm
};

struct AvatarItem {
    Rect rect; // square; drawn as a disc, the initials are a TextItem on top
    Color fill;
    std::string url; // the real picture, when the image cache has it
};

struct Layer {
    std::vector<BoxItem> boxes;
    std::vector<AvatarItem> avatars;
    std::vector<TextItem> texts;
};

struct WallInfo {
    std::string eventName;
    std::vector<std::string> hashtags;
    std::string callToAction;
    std::size_t postCount = 0;
    bool waiting = false; // no posts yet: say so instead of showing an empty card
};

struct CardMetrics {
    Rect card;     // the card's box
    int bodyMinPx; // never smaller than this
    int bodyMaxPx;
};

CardMetrics cardMetrics(int width, int height);
// Header, footer and the empty card box: everything that does not change with the post.
Layer layoutChrome(const WallInfo& info, const Theme& theme, int width, int height,
                   TextMeasurer& measure);
// The content of one card, placed inside cardMetrics(width, height).card.
Layer layoutCard(const Post& post, const Theme& theme, int width, int height, TextMeasurer& measure,
                 UnixTime now);

// "Ada Lovelace" -> "AL"; first letters of the first two words, any script.
std::string initialsOf(const std::string& name);
// A stable, readable colour per author for the avatar placeholder.
Color avatarColor(const std::string& key);
// "Mastodon", "WordPress" ...
std::string sourceDisplayName(const std::string& source);

} // namespace kiosk
