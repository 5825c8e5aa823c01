// Cutting UTF-8 text by bytes (a size limit, an excerpt) without splitting a character.
#pragma once

#include <cstddef>
#include <string_view>

namespace kiosk {

// The largest cut position <= at that does not fall inside a UTF-8 sequence (text.size() when
// at is beyond the end).
std::size_t utf8Boundary(std::string_view text, std::size_t at);

} // namespace kiosk
