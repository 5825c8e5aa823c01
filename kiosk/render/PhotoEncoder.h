// Turns an attendee's photo into what the wall keeps: decoded only after checkPhoto passed (a
// JPEG by libjpeg-turbo at the smallest DCT scale that fills the output, others by SDL_image),
// turned upright as the camera's EXIF orientation says, scaled to at most limits.outputSide pixels
// on its longer side, transparency laid on white, and written as a new JPEG. Nothing of the
// original file survives but its pixels: EXIF, GPS, camera model and thumbnails are gone. One photo
// at a time per call; the caller bounds how many run at once.
#pragma once

#include "kiosk/base/VenuePhoto.h"

namespace kiosk {

Result<Photo> reencodePhoto(std::string_view bytes, const PhotoLimits& limits);

} // namespace kiosk
