// The shipped themes and the WCAG contrast formula the theme test checks them with.
#include "kiosk/layout/Theme.h"

#include <algorithm>
#include <cmath>

namespace kiosk {

std::optional<Theme> themeNamed(const std::string& name) {
    if (name == "dark") {
        return Theme{"dark",
                     {0x0b, 0x10, 0x19, 255},
                     {0x11, 0x18, 0x27, 255},
                     {0x1a, 0x23, 0x33, 255},
                     {0xf5, 0xf7, 0xfa, 255},
                     {0xb4, 0xbf, 0xcd, 255},
                     {0x7c, 0xc4, 0xff, 255},
                     {0xff, 0xc8, 0x57, 255}};
    }
    if (name == "light") {
        return Theme{"light",
                     {0xe9, 0xed, 0xf2, 255},
                     {0xff, 0xff, 0xff, 255},
                     {0xff, 0xff, 0xff, 255},
                     {0x11, 0x18, 0x27, 255},
                     {0x42, 0x4d, 0x5c, 255},
                     {0x1d, 0x4e, 0xd8, 255},
                     {0x8a, 0x4b, 0x00, 255}};
    }
    if (name == "high-contrast") {
        return Theme{"high-contrast",         {0x00, 0x00, 0x00, 255}, {0x00, 0x00, 0x00, 255},
                     {0x16, 0x16, 0x16, 255}, {0xff, 0xff, 0xff, 255}, {0xff, 0xff, 0xff, 255},
                     {0xff, 0xe0, 0x3d, 255}, {0xff, 0xe0, 0x3d, 255}};
    }
    return std::nullopt;
}

double contrastRatio(Color a, Color b) {
    const auto channel = [](std::uint8_t v) {
        const double c = v / 255.0;
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const auto luminance = [&](Color c) {
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace kiosk
