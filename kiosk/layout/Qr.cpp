// See Qr.h. Error correction level M: a projector's glare and a phone across the room.
#include "kiosk/layout/Qr.h"

#include <qrencode.h>

namespace kiosk {

std::optional<QrCode> makeQr(const std::string& text) {
    if (text.empty()) {
        return std::nullopt;
    }
    QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!code) {
        return std::nullopt;
    }
    QrCode out;
    out.modules = code->width;
    out.dark.resize(std::size_t(code->width) * std::size_t(code->width));
    for (std::size_t i = 0; i < out.dark.size(); ++i) {
        out.dark[i] = (code->data[i] & 1) != 0; // bit 0: dark module
    }
    QRcode_free(code);
    return out;
}

} // namespace kiosk
