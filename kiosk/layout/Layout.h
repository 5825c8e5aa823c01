// Drawing data and the screen's arrangement. Layout turns the wall's state (posts, the event,
// a theme, a screen size) into boxes, lines of text, images and QR modules with absolute pixel
// positions; the renderer only draws what it is given, so every placement is testable without
// a display. This file: the items, where the cards go (spotlight, grid, rail) and the chrome
// (header, footer, call to action, QR code, clock, offline notice).
#pragma once

#include "kiosk/layout/Theme.h"
#include "kiosk/model/Post.h"
#include "kiosk/text/TextMeasurer.h"

#include <string>
#include <vector>

namespace kiosk {

struct Rect {
    int x = 0, y = 0, w = 0, h = 0;
    bool operator==(const Rect&) const = default;
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
    // Pictures for inline-image characters (U+F0000 + i is inlineImages[i]): custom emoji.
    std::vector<std::string> inlineImages;
};

// Private-use characters that stand for inline pictures, one grapheme each, so wrapping and
// measuring treat a custom emoji like any other character.
constexpr char32_t kInlineImageFirst = 0xF0000;
constexpr int kInlineImageCount = 256;

struct ImageItem {
    Rect rect;
    std::string key;    // names the decoded picture the renderer was handed for it
    bool round = false; // avatars are discs
    int radius = 0;     // rounded corners for pictures
};

struct QrItem {
    Rect rect;              // square; the renderer keeps a 2-module white quiet zone inside
    int modules = 0;        // modules per side
    std::vector<bool> dark; // modules * modules, row by row
    Color ink;
    Color paper;
};

struct Layer {
    std::vector<BoxItem> boxes;
    std::vector<ImageItem> images;
    std::vector<TextItem> texts;
    std::vector<QrItem> qrs;
};

enum class LayoutKind { Spotlight, Grid, Rail };

struct ScreenOptions {
    LayoutKind kind = LayoutKind::Spotlight;
    int gridCards = 4;   // 2 to 6
    int railCards = 3;   // cards in the "up next" rail
    double overscan = 0; // extra margin, as a fraction of the screen, for projectors that crop
};

struct ScreenLayout {
    Rect header;
    Rect footer;
    std::vector<Rect> slots; // the cards of the current page
    std::vector<Rect> rail;  // "up next" (Rail only)
    Rect railTitle;
    int margin = 0;
    double scale = 1; // 1 at 1920x1080
};

ScreenLayout screenLayout(const ScreenOptions& options, int width, int height);

// One measured line of text at (x, y): what every layout function emits.
TextItem textAt(TextMeasurer& measure, std::string text, FontRole role, int px, Color color, int x,
                int y);
std::size_t cardsPerPage(const ScreenOptions& options);

struct WallInfo {
    std::string eventName;
    std::vector<std::string> hashtags;
    std::string callToAction;
    std::string qrUrl;           // "" for no QR code
    std::string clock;           // "14:05", "" for none
    bool waiting = false;        // no posts yet: say so instead of showing an empty card
    bool offline = false;        // every source failing: no call to action, a small notice
    bool qrWorksOffline = false; // the QR leads to the wall itself: kept, with its words, offline
    std::string logo;            // picture file for the header, "" for none
    double logoAspect = 0;       // its width / height (0: unknown, not drawn)
    // Until the organiser has logged in once: the control page's one-time link, drawn as a
    // setup card in place of the posts (the address shown is the link without its secret).
    std::string setupUrl;
    // A problem the organiser must see from the room (a config on the boot partition that did
    // not load): in the footer, in place of the call to action.
    std::string notice;
    bool operator==(const WallInfo&) const = default;
};

// Header, footer and the rail's title: everything that does not change with the posts.
Layer layoutChrome(const WallInfo& info, const ScreenLayout& screen, const Theme& theme, int width,
                   TextMeasurer& measure);

} // namespace kiosk
