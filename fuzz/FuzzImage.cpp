// libFuzzer target for the checks every picture passes before a decoder sees it: the header
// reader (JPEG markers and EXIF orientation, PNG, GIF, WebP), the size limits, PNG's chunk
// structure and the attendee photo's checks.
#include "kiosk/base/ImageHeader.h"
#include "kiosk/base/VenuePhoto.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto info = kiosk::readImageHeader(bytes)) {
        (void)kiosk::checkImageLimits(*info, 8192, 40'000'000);
        (void)kiosk::checkImageBytes(*info, bytes);
        if (info->orientation < 1 || info->orientation > 8) {
            __builtin_trap();
        }
    }
    (void)kiosk::checkPhoto(bytes, kiosk::PhotoLimits{});
    return 0;
}
