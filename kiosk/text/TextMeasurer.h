// The seam between layout (pure) and fonts (SDL_ttf in render/). Tests use a fixed-width fake.
#pragma once

#include <string_view>

namespace kiosk {

enum class FontRole { Regular, Bold };

class TextMeasurer {
public:
    virtual ~TextMeasurer() = default;
    // Width in pixels of one line of text at the given em size.
    virtual int width(std::string_view text, FontRole role, int px) = 0;
    // Distance between baselines of consecutive lines.
    virtual int lineHeight(FontRole role, int px) = 0;
};

} // namespace kiosk
