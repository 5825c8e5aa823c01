// See VenuePhoto.h.
#include "kiosk/base/VenuePhoto.h"

namespace kiosk {

Result<ImageInfo> checkPhoto(std::string_view bytes, const PhotoLimits& limits) {
    if (bytes.empty()) {
        return Error{"photo: the file is empty"};
    }
    if (bytes.size() > limits.maxBytes) {
        return Error{"photo: larger than " + std::to_string(limits.maxBytes / (1024 * 1024)) +
                     " MB; send a smaller one"};
    }
    auto info = readImageHeader(bytes);
    if (!info || info->format == "gif") {
        return Error{"photo: not a JPEG, PNG or WebP picture"};
    }
    if (info->width <= 0 || info->height <= 0 || info->width > limits.maxSide ||
        info->height > limits.maxSide || (long long)info->width * info->height > limits.maxPixels) {
        return Error{"photo: " + std::to_string(info->width) + "x" + std::to_string(info->height) +
                     " pixels is more than the wall takes (" +
                     std::to_string(limits.maxPixels / 1'000'000) +
                     " megapixels); use the camera's normal setting"};
    }
    if (const std::string problem = checkImageBytes(*info, bytes); !problem.empty()) {
        return Error{"photo: the picture is damaged or was cut short (" + problem +
                     "); send it again"};
    }
    return *info;
}

} // namespace kiosk
