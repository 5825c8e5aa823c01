// Decodes a cached picture for one image slot: the header is checked first (format, declared
// size, structure), SDL_image decodes, and the result is scaled down to cover the slot
// (centre crop) before it ever becomes a texture; avatars get a round, anti-aliased edge.
// Runs on the preparation thread; returns an ARGB surface the caller owns.
#pragma once

#include "kiosk/base/ImageHeader.h"
#include "kiosk/base/Result.h"

#include <cstddef>
#include <string>
#include <string_view>

struct SDL_Surface;

namespace kiosk {

struct ImageLimits {
    int maxSide = 8192;
    long long maxPixels = 40'000'000;
    int maxTexture = 2048;                // the renderer's limit (2048 on a Raspberry Pi 3)
    std::size_t maxFileBytes = 64u << 20; // read whole before decoding
};

// Format and declared size of a file, from its first bytes only.
Result<ImageInfo> probeImageFile(const std::string& path, const ImageLimits& limits);

// Only the decoder for `format` ("png", "jpeg", "webp") sees the bytes, never SDL_image's guess:
// IMG_Load_RW tries every format it knows by its magic, so a WebP holding "<svg" would reach the
// SVG decoder. GIF is not decoded at all: SDL_image 2.6.3's GIF reader (Debian 12's) writes out
// of bounds on small hostile files. fuzz_picture's corpus holds both kinds. nullptr with
// IMG_GetError() on failure.
SDL_Surface* decodeAs(const std::string& format, std::string_view bytes);

// The picture as SDL_image decodes it, once all of its bytes have passed the
// header, size and structure checks; the caller owns the surface. `name` is for the errors.
Result<SDL_Surface*> decodeImageBytes(std::string_view bytes, const std::string& name,
                                      const ImageLimits& limits);
Result<SDL_Surface*> decodeImageFile(const std::string& path, const ImageLimits& limits);

// A surface exactly w x h (clamped to maxTexture), covering it with the picture.
Result<SDL_Surface*> loadImageCover(const std::string& path, int w, int h, bool round,
                                    const ImageLimits& limits);
// The same from a decoded picture, which it frees.
Result<SDL_Surface*> coverImage(SDL_Surface* raw, const std::string& path, int w, int h, bool round,
                                const ImageLimits& limits);

} // namespace kiosk
