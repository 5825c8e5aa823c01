// QR codes for the call to action (libqrencode): the module matrix only; layout places it and
// the renderer draws squares.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kiosk {

struct QrCode {
    int modules = 0;        // per side, without the quiet zone
    std::vector<bool> dark; // modules * modules, row by row
};

// nullopt when the text is too long for a QR code (or libqrencode fails).
std::optional<QrCode> makeQr(const std::string& text);

} // namespace kiosk
