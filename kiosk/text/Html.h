// HTML to plain text for post bodies (Mastodon content, WordPress comments) through gumbo:
// paragraphs and <br> become "\n", entities are decoded once, scripts and styles vanish,
// Mastodon's invisible/ellipsis link spans are honoured, hashtags and mentions stay as text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct HtmlText {
    std::string text;               // paragraphs separated by a single "\n"
    std::vector<std::string> links; // http(s) hrefs of ordinary links, not mentions or tags
    std::vector<std::pair<std::string, std::string>> images; // http(s) <img> src and alt
};

HtmlText htmlToText(std::string_view html);

// Trims ASCII and Unicode spaces and drops zero-width characters that some display names carry.
std::string cleanInlineText(std::string_view text);

} // namespace kiosk
