// See JpegDecoder.h. libjpeg reports errors through a callback that must not return: it jumps
// back here, so the frame that calls setjmp holds nothing with a destructor.
#include "kiosk/render/JpegDecoder.h"

#include <SDL.h>

#include <csetjmp>
#include <cstdio>
#include <jpeglib.h>

namespace kiosk {

int jpegScaleEighths(int width, int height, int side) {
    const long long longer = width > height ? width : height;
    for (int n = 1; n < 8; ++n) {
        if ((longer * n + 7) / 8 >= side) {
            return n;
        }
    }
    return 8;
}

namespace {

// A progressive 24-megapixel 4:2:0 photo keeps 72 MB of coefficients; more than this is refused
// with libjpeg's own message rather than taken from the board.
constexpr long kWorkingMemory = 80L * 1024 * 1024;

struct Failure {
    jpeg_error_mgr base;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

[[noreturn]] void onError(j_common_ptr cinfo) {
    auto* failure = reinterpret_cast<Failure*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, failure->message);
    std::longjmp(failure->jump, 1);
}

void onWarning(j_common_ptr, int) {} // a damaged stream ends in an error, or decodes regardless

// Decodes into *out; false with failure.message set. Only plain values live in this frame.
bool decode(jpeg_decompress_struct& cinfo, Failure& failure, std::string_view bytes, int side,
            ScaledJpeg* out) {
    if (setjmp(failure.jump)) {
        return false;
    }
    jpeg_create_decompress(&cinfo);
    cinfo.mem->max_memory_to_use = kWorkingMemory;
    jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&cinfo, TRUE);
    out->fullWidth = int(cinfo.image_width);
    out->fullHeight = int(cinfo.image_height);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        std::snprintf(failure.message, sizeof failure.message, "a CMYK JPEG (print, not a photo)");
        return false;
    }
    cinfo.scale_num = unsigned(jpegScaleEighths(out->fullWidth, out->fullHeight, side));
    cinfo.scale_denom = 8;
    cinfo.out_color_space = JCS_EXT_BGRA; // SDL's ARGB8888 on a little-endian board
    cinfo.dct_method = JDCT_ISLOW;
    jpeg_start_decompress(&cinfo);
    out->pixels = SDL_CreateRGBSurfaceWithFormat(
        0, int(cinfo.output_width), int(cinfo.output_height), 32, SDL_PIXELFORMAT_BGRA32);
    if (!out->pixels) {
        std::snprintf(failure.message, sizeof failure.message, "out of memory (%s)",
                      SDL_GetError());
        return false;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = static_cast<JSAMPROW>(out->pixels->pixels) +
                       std::ptrdiff_t(cinfo.output_scanline) * out->pixels->pitch;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    return true;
}

} // namespace

Result<ScaledJpeg> decodeJpegScaled(std::string_view bytes, int side) {
    jpeg_decompress_struct cinfo{};
    Failure failure{};
    cinfo.err = jpeg_std_error(&failure.base);
    failure.base.error_exit = onError;
    failure.base.emit_message = onWarning;
    ScaledJpeg out;
    const bool ok = decode(cinfo, failure, bytes, side, &out);
    jpeg_destroy_decompress(&cinfo);
    if (!ok) {
        SDL_FreeSurface(out.pixels);
        return Error{std::string(failure.message)};
    }
    return out;
}

} // namespace kiosk
