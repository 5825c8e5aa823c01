// Colours of the wall. Shipped themes keep body text at 7:1 contrast or better against the
// card (WCAG AAA), so a washed-out projector still shows readable text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace kiosk {

struct Color {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const Color&) const = default;
};

struct Theme {
    std::string name;
    Color background; // behind everything
    Color header;     // header and footer bands
    Color card;
    Color text;    // body text on the card
    Color muted;   // handles, times, secondary lines
    Color accent;  // hashtags, call to action
    Color warning; // content warnings
};

std::optional<Theme> themeNamed(const std::string& name);
// WCAG 2 contrast ratio between two opaque colours (1 to 21).
double contrastRatio(Color a, Color b);

} // namespace kiosk
