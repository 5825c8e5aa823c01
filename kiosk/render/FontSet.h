// The fonts of the fallback chain as SDL_ttf opens them. Each face keeps one open font per
// weight, resized as layout tries sizes (SDL_ttf flushes its glyph cache on a resize), so what
// fonts hold stays bounded however many sizes a day of cards asks for. One thread only.
#pragma once

#include "kiosk/layout/Layout.h"

#include <cstddef>
#include <map>
#include <string>
#include <utility>
#include <vector>

typedef struct _TTF_Font TTF_Font;

namespace kiosk {

struct FontFace {
    std::string regular; // file path
    std::string bold;    // "" -> regular, drawn with synthesised bold
    bool emoji = false;  // bitmap colour font, scaled after rendering
    bool large = false;  // set by FontSet: costs megabytes while open (CJK collections)
};

// The default chain, skipping files that are not installed.
std::vector<FontFace> defaultFontChain();

class FontSet {
public:
    // Keeps the faces of chain that open; logs the others.
    explicit FontSet(std::vector<FontFace> chain);
    ~FontSet();
    FontSet(const FontSet&) = delete;
    FontSet& operator=(const FontSet&) = delete;

    std::size_t size() const { return faces_.size(); }
    bool empty() const { return faces_.empty(); }
    const FontFace& face(std::size_t i) const { return faces_[i]; }
    // The face at px in role's weight (emoji: their one bitmap size); nullptr if it cannot open.
    TTF_Font* font(std::size_t face, FontRole role, int px);
    // Any open size of the face, for "does it have this character" only.
    TTF_Font* coverage(std::size_t face);
    // Drops every font's rendered glyphs and closes the large faces: an open CJK face holds
    // megabytes of tables and reopens quickly (scripts/bench-wall's PSS figures).
    void release();
    // How many fonts of large faces are open now (for tests and diagnostics).
    std::size_t openLargeFonts() const;

private:
    struct Open {
        int size = 0;
        TTF_Font* font = nullptr;
    };
    std::vector<FontFace> faces_;
    std::map<std::pair<std::size_t, bool>, Open> open_; // (face, bold)
};

} // namespace kiosk
