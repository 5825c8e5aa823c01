// See PhotoEncoder.h.
#include "kiosk/render/PhotoEncoder.h"

#include "kiosk/render/ImageLoader.h"
#include "kiosk/render/JpegDecoder.h"

#include <SDL.h>
#include <SDL_image.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace kiosk {
namespace {

struct FreeSurface {
    void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};
using Surface = std::unique_ptr<SDL_Surface, FreeSurface>;

// Where the output pixel (x, y) of an upright picture comes from in a stored w x h one, for
// EXIF orientations 1 to 8 (5 to 8 swap width and height).
void sourceOf(int orientation, int x, int y, int w, int h, int& sx, int& sy) {
    switch (orientation) {
    case 2:
        sx = w - 1 - x, sy = y;
        break;
    case 3:
        sx = w - 1 - x, sy = h - 1 - y;
        break;
    case 4:
        sx = x, sy = h - 1 - y;
        break;
    case 5:
        sx = y, sy = x;
        break;
    case 6:
        sx = y, sy = h - 1 - x;
        break;
    case 7:
        sx = w - 1 - y, sy = h - 1 - x;
        break;
    case 8:
        sx = w - 1 - y, sy = x;
        break;
    default:
        sx = x, sy = y;
        break;
    }
}

Surface upright(SDL_Surface* src, int orientation) {
    const bool swap = orientation >= 5;
    const int w = swap ? src->h : src->w, h = swap ? src->w : src->h;
    Surface out(SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, src->format->format));
    if (!out) {
        return nullptr;
    }
    for (int y = 0; y < h; ++y) {
        auto* row = reinterpret_cast<std::uint32_t*>(static_cast<std::uint8_t*>(out->pixels) +
                                                     std::ptrdiff_t(y) * out->pitch);
        for (int x = 0; x < w; ++x) {
            int sx = 0, sy = 0;
            sourceOf(orientation, x, y, src->w, src->h, sx, sy);
            row[x] = reinterpret_cast<const std::uint32_t*>(
                static_cast<const std::uint8_t*>(src->pixels) +
                std::ptrdiff_t(sy) * src->pitch)[sx];
        }
    }
    return out;
}

} // namespace

Result<Photo> reencodePhoto(std::string_view bytes, const PhotoLimits& limits) {
    auto info = checkPhoto(bytes, limits);
    if (!info) {
        return Error{info.error()};
    }
    Surface raw;
    if (info->format == "jpeg") {
        // Phones send JPEGs: decoded at the smallest DCT scale that still fills the output.
        auto jpeg = decodeJpegScaled(bytes, limits.outputSide);
        if (!jpeg) {
            return Error{"photo: the picture cannot be read (" + jpeg.error() + ")"};
        }
        raw.reset(jpeg->pixels);
        if (jpeg->fullWidth != info->width || jpeg->fullHeight != info->height) {
            return Error{"photo: the picture is damaged (its header and its pixels disagree)"};
        }
    } else {
        raw.reset(decodeAs(info->format, bytes));
        if (!raw) {
            return Error{"photo: the picture cannot be read (" + std::string(IMG_GetError()) + ")"};
        }
        if (raw->w != info->width || raw->h != info->height) {
            return Error{"photo: the picture is damaged (its header and its pixels disagree)"};
        }
    }
    Surface rgba;
    if (raw->format->format == SDL_PIXELFORMAT_ARGB8888) {
        rgba = std::move(raw);
    } else {
        rgba.reset(SDL_ConvertSurfaceFormat(raw.get(), SDL_PIXELFORMAT_ARGB8888, 0));
        raw.reset(); // the decoded original is the biggest thing held: let it go first
    }
    if (!rgba) {
        return Error{"photo: out of memory while reading the picture"};
    }
    // Scaled before it is turned: turning the smaller picture is cheaper.
    const double scale = std::min(1.0, double(limits.outputSide) / std::max(rgba->w, rgba->h));
    const int w = std::max(1, int(rgba->w * scale + 0.5)),
              h = std::max(1, int(rgba->h * scale + 0.5));
    if (w != rgba->w || h != rgba->h) {
        Surface scaled(SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888));
        if (!scaled || SDL_SoftStretchLinear(rgba.get(), nullptr, scaled.get(), nullptr) != 0) {
            return Error{"photo: cannot scale the picture (" + std::string(SDL_GetError()) + ")"};
        }
        rgba = std::move(scaled);
    }
    if (info->orientation != 1) {
        rgba = upright(rgba.get(), info->orientation);
        if (!rgba) {
            return Error{"photo: out of memory while turning the picture"};
        }
    }
    // JPEG has no transparency: a PNG's see-through parts come out white, not black.
    Surface flat(SDL_CreateRGBSurfaceWithFormat(0, rgba->w, rgba->h, 24, SDL_PIXELFORMAT_RGB24));
    if (!flat) {
        return Error{"photo: out of memory while writing the picture"};
    }
    SDL_FillRect(flat.get(), nullptr, SDL_MapRGB(flat->format, 255, 255, 255));
    SDL_SetSurfaceBlendMode(rgba.get(), SDL_BLENDMODE_BLEND);
    SDL_BlitSurface(rgba.get(), nullptr, flat.get(), nullptr);
    // A JPEG of these pixels is far smaller than the raw pixels; that bounds the buffer.
    Photo out;
    out.width = flat->w;
    out.height = flat->h;
    out.jpeg.resize(std::size_t(flat->w) * flat->h * 3 + 64 * 1024);
    SDL_RWops* sink = SDL_RWFromMem(out.jpeg.data(), int(out.jpeg.size()));
    if (!sink || IMG_SaveJPG_RW(flat.get(), sink, 0, limits.quality) != 0) {
        if (sink) {
            SDL_RWclose(sink);
        }
        return Error{"photo: cannot write the picture (" + std::string(IMG_GetError()) + ")"};
    }
    out.jpeg.resize(std::size_t(SDL_RWtell(sink)));
    SDL_RWclose(sink);
    return out;
}

} // namespace kiosk
