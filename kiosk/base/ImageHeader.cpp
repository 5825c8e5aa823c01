// Header layouts: PNG IHDR (big-endian), GIF logical screen (little-endian), WebP VP8/VP8L/VP8X
// chunks, and JPEG's first start-of-frame marker.
#include "kiosk/base/ImageHeader.h"

#include <cstdint>
#include <string>

namespace kiosk {
namespace {

std::uint32_t be16(std::string_view b, std::size_t i) {
    return (std::uint32_t(std::uint8_t(b[i])) << 8) | std::uint8_t(b[i + 1]);
}
std::uint32_t be32(std::string_view b, std::size_t i) {
    return (be16(b, i) << 16) | be16(b, i + 2);
}
std::uint32_t le16(std::string_view b, std::size_t i) {
    return std::uint8_t(b[i]) | (std::uint32_t(std::uint8_t(b[i + 1])) << 8);
}
std::uint32_t le24(std::string_view b, std::size_t i) {
    return le16(b, i) | (std::uint32_t(std::uint8_t(b[i + 2])) << 16);
}

// EXIF's Orientation (tag 0x0112 in the first IFD of the TIFF block inside APP1): how the camera
// was held. 1 when the block is absent, cut short or says something else.
int exifOrientation(std::string_view app1) {
    if (app1.size() < 14 || app1.substr(0, 6) != std::string_view("Exif\0\0", 6)) {
        return 1;
    }
    const std::string_view tiff = app1.substr(6);
    const bool little = tiff.substr(0, 4) == std::string_view("II*\0", 4);
    if (!little && tiff.substr(0, 4) != std::string_view("MM\0*", 4)) {
        return 1;
    }
    const auto u16 = [&](std::size_t at) { return little ? le16(tiff, at) : be16(tiff, at); };
    const auto u32 = [&](std::size_t at) {
        return little ? le16(tiff, at) | (le16(tiff, at + 2) << 16) : be32(tiff, at);
    };
    const std::size_t ifd = u32(4);
    if (ifd + 2 > tiff.size()) {
        return 1;
    }
    const std::size_t entries = u16(ifd);
    for (std::size_t e = 0; e < entries && ifd + 2 + (e + 1) * 12 <= tiff.size(); ++e) {
        const std::size_t at = ifd + 2 + e * 12;
        if (u16(at) == 0x0112 && u16(at + 2) == 3) { // SHORT
            const int value = int(u16(at + 8));
            return value >= 1 && value <= 8 ? value : 1;
        }
    }
    return 1;
}

std::optional<ImageInfo> jpeg(std::string_view b) {
    std::size_t i = 2;
    int orientation = 1;
    while (i + 9 < b.size()) {
        if (std::uint8_t(b[i]) != 0xFF) {
            return std::nullopt; // not at a marker: corrupt
        }
        const std::uint8_t marker = std::uint8_t(b[i + 1]);
        if (marker == 0xFF) {
            ++i; // fill byte
            continue;
        }
        const bool standalone = marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
        if (standalone) {
            i += 2;
            continue;
        }
        const bool frame =
            marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
        if (frame) {
            return ImageInfo{"jpeg", int(be16(b, i + 7)), int(be16(b, i + 5)), orientation};
        }
        if (marker == 0xDA || marker == 0xD9) {
            return std::nullopt; // scan data before any frame header
        }
        const std::size_t length = be16(b, i + 2);
        if (marker == 0xE1 && length >= 2 && i + 2 + length <= b.size()) {
            orientation = exifOrientation(b.substr(i + 4, length - 2));
        }
        i += 2 + length;
    }
    return std::nullopt;
}

std::optional<ImageInfo> webp(std::string_view b) {
    if (b.size() < 30) {
        return std::nullopt;
    }
    const std::string_view chunk = b.substr(12, 4);
    if (chunk == "VP8 " && std::uint8_t(b[23]) == 0x9D && std::uint8_t(b[24]) == 0x01 &&
        std::uint8_t(b[25]) == 0x2A) {
        return ImageInfo{"webp", int(le16(b, 26) & 0x3FFF), int(le16(b, 28) & 0x3FFF)};
    }
    if (chunk == "VP8L" && std::uint8_t(b[20]) == 0x2F) {
        const std::uint32_t bits = le16(b, 21) | (std::uint32_t(le16(b, 23)) << 16);
        return ImageInfo{"webp", int((bits & 0x3FFF) + 1), int(((bits >> 14) & 0x3FFF) + 1)};
    }
    if (chunk == "VP8X") {
        return ImageInfo{"webp", int(le24(b, 24) + 1), int(le24(b, 27) + 1)};
    }
    return std::nullopt;
}

} // namespace

std::optional<ImageInfo> readImageHeader(std::string_view b) {
    if (b.size() >= 24 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8) &&
        b.substr(12, 4) == "IHDR") {
        return ImageInfo{"png", int(be32(b, 16)), int(be32(b, 20))};
    }
    if (b.size() >= 10 && (b.substr(0, 6) == "GIF87a" || b.substr(0, 6) == "GIF89a")) {
        return ImageInfo{"gif", int(le16(b, 6)), int(le16(b, 8))};
    }
    if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") {
        return webp(b);
    }
    if (b.size() >= 4 && std::uint8_t(b[0]) == 0xFF && std::uint8_t(b[1]) == 0xD8 &&
        std::uint8_t(b[2]) == 0xFF) {
        return jpeg(b);
    }
    return std::nullopt;
}

std::string checkImageLimits(const ImageInfo& info, int maxSide, long long maxPixels) {
    const std::string size = std::to_string(info.width) + "x" + std::to_string(info.height);
    if (info.width <= 0 || info.height <= 0) {
        return info.format + " declares an empty size (" + size + ")";
    }
    if (info.width > maxSide || info.height > maxSide ||
        static_cast<long long>(info.width) * info.height > maxPixels) {
        return info.format + " declares " + size + " pixels, over the limit of " +
               std::to_string(maxPixels / 1000000) + " megapixels or " + std::to_string(maxSide) +
               " pixels a side";
    }
    return {};
}

std::string checkImageBytes(const ImageInfo& info, std::string_view whole) {
    if (info.format != "png") {
        return {};
    }
    std::size_t at = 8; // after the signature
    while (whole.size() - at >= 12) {
        const std::uint32_t length = be32(whole, at);
        const std::string type(whole.substr(at + 4, 4));
        if (length > 0x7FFFFFFFu || length > whole.size() - at - 12) {
            return "png chunk " + type + " at byte " + std::to_string(at) + " claims " +
                   std::to_string(length) + " bytes but " + std::to_string(whole.size() - at - 12) +
                   " follow: cut short or damaged";
        }
        if (type == "IEND") {
            return {};
        }
        at += 12 + length;
    }
    return "png ends without IEND after " + std::to_string(whole.size()) +
           " bytes: cut short or damaged";
}

} // namespace kiosk
