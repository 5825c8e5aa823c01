// See ImageLoader.h.
#include "kiosk/render/ImageLoader.h"

#include "kiosk/render/SdlMemory.h"

#include <SDL.h>
#include <SDL_image.h>

#include <algorithm>
#include <cmath>
#include <fstream>

namespace kiosk {

namespace {

// What both the probe and the decoder ask first: one of the formats the wall decodes, within
// the limits by its header.
Result<ImageInfo> headerWithinLimits(std::string_view bytes, const std::string& name,
                                     const ImageLimits& limits) {
    const auto info = readImageHeader(bytes);
    if (!info || info->format == "gif") {
        return Error{name + ": not a JPEG, PNG or WebP picture"};
    }
    if (auto problem = checkImageLimits(*info, limits.maxSide, limits.maxPixels);
        !problem.empty()) {
        return Error{name + ": " + problem};
    }
    return *info;
}

} // namespace

Result<ImageInfo> probeImageFile(const std::string& path, const ImageLimits& limits) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error{path + ": cannot open the picture"};
    }
    std::string head(64 * 1024, '\0'); // JPEG frame headers may follow large EXIF blocks
    in.read(head.data(), std::streamsize(head.size()));
    head.resize(std::size_t(in.gcount()));
    return headerWithinLimits(head, path, limits);
}

SDL_Surface* decodeAs(const std::string& format, std::string_view bytes) {
    limitSdlAllocations(); // main() did it already; tests and fuzz targets come here first
    SDL_RWops* rw = SDL_RWFromConstMem(bytes.data(), int(bytes.size()));
    if (!rw) {
        return nullptr;
    }
    SDL_Surface* out = nullptr;
    if (format == "png") {
        out = IMG_LoadPNG_RW(rw);
    } else if (format == "jpeg") {
        out = IMG_LoadJPG_RW(rw);
    } else if (format == "webp") {
        out = IMG_LoadWEBP_RW(rw);
    } else {
        IMG_SetError("%s is not a format the wall decodes", format.c_str());
    }
    SDL_RWclose(rw);
    return out;
}

Result<SDL_Surface*> decodeImageBytes(std::string_view bytes, const std::string& name,
                                      const ImageLimits& limits) {
    const auto info = headerWithinLimits(bytes, name, limits);
    if (!info) {
        return Error{info.error()};
    }
    if (auto problem = checkImageBytes(*info, bytes); !problem.empty()) {
        return Error{name + ": " + problem};
    }
    SDL_Surface* raw = decodeAs(info->format, bytes);
    if (!raw) {
        return Error{name + ": cannot decode the picture: " + IMG_GetError()};
    }
    if (raw->w > limits.maxSide || raw->h > limits.maxSide ||
        (long long)raw->w * raw->h > limits.maxPixels) {
        const std::string size = std::to_string(raw->w) + "x" + std::to_string(raw->h);
        SDL_FreeSurface(raw);
        return Error{name + ": decoded at " + size + ", over the limits its header passed"};
    }
    return raw;
}

Result<SDL_Surface*> decodeImageFile(const std::string& path, const ImageLimits& limits) {
    // Whole, because the structure check needs every byte and the decoder reads them anyway.
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        return Error{path + ": cannot open the picture"};
    }
    const auto size = std::size_t(in.tellg());
    if (size > limits.maxFileBytes) {
        return Error{path + ": " + std::to_string(size >> 20) + " MB is over the " +
                     std::to_string(limits.maxFileBytes >> 20) + " MB a picture may have"};
    }
    std::string bytes(size, '\0');
    in.seekg(0);
    if (!in.read(bytes.data(), std::streamsize(size))) {
        return Error{path + ": cannot read the picture"};
    }
    return decodeImageBytes(bytes, path, limits);
}

Result<SDL_Surface*> loadImageCover(const std::string& path, int w, int h, bool round,
                                    const ImageLimits& limits) {
    auto decoded = decodeImageFile(path, limits);
    if (!decoded) {
        return Error{decoded.error()};
    }
    return coverImage(*decoded, path, w, h, round, limits);
}

Result<SDL_Surface*> coverImage(SDL_Surface* raw, const std::string& path, int w, int h, bool round,
                                const ImageLimits& limits) {
    w = std::clamp(w, 1, limits.maxTexture);
    h = std::clamp(h, 1, limits.maxTexture);
    SDL_Surface* src = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (!src) {
        return Error{path + ": " + SDL_GetError()};
    }
    // Cover: scale so the picture fills w x h, crop the overflow around the centre.
    const double scale = std::max(double(w) / src->w, double(h) / src->h);
    const int cropW = std::clamp(int(std::lround(w / scale)), 1, src->w);
    const int cropH = std::clamp(int(std::lround(h / scale)), 1, src->h);
    SDL_Rect crop{(src->w - cropW) / 2, (src->h - cropH) / 2, cropW, cropH};
    SDL_Surface* out = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!out || SDL_SoftStretchLinear(src, &crop, out, nullptr) != 0) {
        const std::string why = SDL_GetError();
        SDL_FreeSurface(src);
        SDL_FreeSurface(out);
        return Error{path + ": cannot scale the picture: " + why};
    }
    SDL_FreeSurface(src);
    if (round) {
        // Alpha falls off over one pixel at the disc's edge: a smooth circle at any size.
        auto* px = static_cast<Uint32*>(out->pixels);
        const double r = std::min(w, h) / 2.0;
        for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
                const double d = std::hypot(x + 0.5 - w / 2.0, y + 0.5 - h / 2.0);
                const double cover = std::clamp(r - d + 0.5, 0.0, 1.0);
                Uint32& p = px[y * (out->pitch / 4) + x];
                const Uint32 a = Uint32(std::lround(((p >> 24) & 0xFF) * cover));
                p = (p & 0x00FFFFFF) | (a << 24);
            }
        }
    }
    return out;
}

} // namespace kiosk
