// One card in a slot: avatar, name, handle, source, relative time, context (reply, blog post
// title, quote), the text at the largest size that fits, the first picture (cropped to fit,
// alt text as an optional caption), or a content warning instead of body and picture.
#pragma once

#include "kiosk/layout/Layout.h"

namespace kiosk {

struct CardMedia {
    bool avatar = false;  // a decoded avatar is available
    int pictureWidth = 0; // 0: no picture to show
    int pictureHeight = 0;
    std::vector<std::pair<std::string, std::string>> emoji; // custom emoji shortcode -> file
};

// Replaces ":shortcode:" with inline-image characters for the emoji that have a file, adding
// the files to images (a shortcode used twice shares one entry).
std::string withInlineEmoji(const std::string& text,
                            const std::vector<std::pair<std::string, std::string>>& emoji,
                            std::vector<std::string>& images);

struct CardOptions {
    bool showAltText = false;  // a caption under pictures
    bool revealWarned = false; // show the body of posts behind a content warning
    // "mastodon" -> "Mastodon": the source table's card names, which core cannot include.
    std::vector<std::pair<std::string, std::string>> sourceNames;
};

Layer layoutCard(const Post& post, const Theme& theme, const Rect& slot, const CardMedia& media,
                 const CardOptions& options, TextMeasurer& measure, UnixTime now);

// The picture a card would show, if any: first image-like media, never behind a warning.
const Media* cardPicture(const Post& post, const CardOptions& options);

// "Ada Lovelace" -> "AL"; first letters of the first two words, any script.
std::string initialsOf(const std::string& name);
// A stable, readable colour per author for the avatar placeholder.
Color avatarColor(const std::string& key);
// The name on the card for a post's source: from `names`, "Announcement" for the wall's own,
// else the source key itself.
std::string sourceDisplayName(const std::string& source,
                              const std::vector<std::pair<std::string, std::string>>& names);

} // namespace kiosk
