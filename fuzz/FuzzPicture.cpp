// libFuzzer target for the pictures the wall decodes from strangers (avatars, post pictures and
// custom emoji from the media cache): the checks, SDL_image's JPEG, PNG, GIF and WebP decoders,
// and the cover crop and round mask. A picture must become a surface or an error, never a crash
// or a stall.
#include "kiosk/render/ImageLoader.h"

#include <SDL.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::ImageLimits limits;
    limits.maxPixels = 4'000'000; // small, so each run is quick
    auto decoded = kiosk::decodeImageBytes(
        std::string_view(reinterpret_cast<const char*>(data), size), "fuzz", limits);
    if (!decoded) {
        return 0;
    }
    // An avatar disc; the first byte varies its size a little.
    const int w = 64 + (size > 0 ? data[0] % 64 : 0);
    auto avatar = kiosk::coverImage(*decoded, "fuzz", w, w, true, limits);
    if (avatar) {
        if ((*avatar)->w != w || (*avatar)->h != w) {
            __builtin_trap();
        }
        SDL_FreeSurface(*avatar);
    }
    return 0;
}
