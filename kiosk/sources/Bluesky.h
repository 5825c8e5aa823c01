// Bluesky (AT Protocol) posts: app.bsky.feed.searchPosts results and the other shapes that
// carry postViews (a single postView, feedViewPost, getPostThread, getTimeline). Facets are
// UTF-8 byte ranges and are clamped when wrong; labels decide sensitive or skipped.
#pragma once

#include "kiosk/sources/Source.h"

namespace kiosk {

Result<ParseOutput> parseBluesky(std::string_view body, const ParseContext& context);

// The text of a byte range of text, clamped to the string and to UTF-8 character boundaries;
// "" when the range is empty or inverted after clamping.
std::string utf8Slice(std::string_view text, long long byteStart, long long byteEnd);

} // namespace kiosk
