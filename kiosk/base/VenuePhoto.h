// A photo an attendee sends from the venue page: what is checked before any decoder sees it
// (format, declared size, bytes), and the shape of the re-encoder the render layer provides
// (decode, turn upright, scale to at most 1920 px, JPEG again with no EXIF, GPS or other
// metadata). Messages are for the attendee's phone, so they say what to do.
#pragma once

#include "kiosk/base/ImageHeader.h"
#include "kiosk/base/Result.h"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace kiosk {

struct PhotoLimits {
    std::size_t maxBytes = 15 * 1024 * 1024;
    int maxSide = 12000;
    long long maxPixels = 25'000'000; // decoded as RGBA: 100 MB, once at a time
    int outputSide = 1920;
    int quality = 85;
};

struct Photo {
    std::string jpeg;
    int width = 0;
    int height = 0;
};

// The photo's header when it may be decoded; otherwise the refusal for the attendee.
Result<ImageInfo> checkPhoto(std::string_view bytes, const PhotoLimits& limits);

using PhotoEncoder = std::function<Result<Photo>(std::string_view bytes, const PhotoLimits&)>;

} // namespace kiosk
