// Decodes a JPEG at the smallest of libjpeg-turbo's DCT scales (n/8) that still gives the
// wanted size on the longer side: a 24-megapixel phone photo wanted at 1920 px decodes at 3/8,
// a seventh of the pixels of full size (JpegScale.*); scripts/bench-uploads prints what eight at
// once cost the wall. The only user of libjpeg.
#pragma once

#include "kiosk/base/Result.h"

#include <string_view>

struct SDL_Surface;

namespace kiosk {

// The numerator over 8 for a picture of width x height wanted at least `side` px on its longer
// side (8 when it is not larger than that).
int jpegScaleEighths(int width, int height, int side);

struct ScaledJpeg {
    SDL_Surface* pixels = nullptr; // ARGB8888, the caller's to free
    int fullWidth = 0, fullHeight = 0;
};

// The picture as 32-bit pixels, scaled down by the DCT; the error says what libjpeg refused.
// Its working memory is bounded too (a progressive JPEG keeps every coefficient).
Result<ScaledJpeg> decodeJpegScaled(std::string_view bytes, int side);

} // namespace kiosk
