// Reads an image's format and declared size from its first bytes (JPEG, PNG, GIF, WebP),
// without decoding it, so a hostile file (a PNG that claims 20000x20000 pixels, a web page
// named .jpg) is refused before any decoder sees it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

struct ImageInfo {
    std::string format; // "jpeg", "png", "gif", "webp"
    int width = 0;
    int height = 0;
    // JPEG only: EXIF Orientation, 1 (as stored) to 8; 6 is a phone held upright (turn 90
    // degrees clockwise to view), 3 upside down, 8 the other way.
    int orientation = 1;
};

// nullopt when the bytes are not one of the four formats or the header is cut short.
std::optional<ImageInfo> readImageHeader(std::string_view bytes);

// "" when the image may be decoded; otherwise why not, for logs.
std::string checkImageLimits(const ImageInfo& info, int maxSide, long long maxPixels);

// "" when the whole file's structure lets a decoder finish; otherwise what is wrong. PNG: every
// chunk must lie inside the bytes and IEND must end them: SDL_image's PNG reader ignores short
// reads, so a chunk claiming more bytes than the file holds has libpng inflate stale buffers for
// minutes (HostileImages.*, fuzz_photo).
std::string checkImageBytes(const ImageInfo& info, std::string_view whole);

} // namespace kiosk
