// libFuzzer target for the attendee photo path as the wall runs it: checks, SDL_image's
// decoders, turning upright, scaling and writing a new JPEG. A photo from a stranger's phone
// must become a picture or a refusal, never a crash. Limits are small so each run is quick.
#include "kiosk/render/PhotoEncoder.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::PhotoLimits limits;
    limits.maxPixels = 4'000'000;
    limits.outputSide = 256;
    auto photo =
        kiosk::reencodePhoto(std::string_view(reinterpret_cast<const char*>(data), size), limits);
    if (photo && (photo->width > 256 || photo->height > 256)) {
        __builtin_trap();
    }
    return 0;
}
