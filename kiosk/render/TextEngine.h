// Fonts for the wall through SDL_ttf (HarfBuzz shaping): a fallback chain chosen per code point
// (Latin, Arabic, Hebrew, Thai, Devanagari, CJK, symbols, colour emoji), lines drawn in bidi
// visual order, colour emoji scaled from the emoji font's single bitmap size to the line.
// Implements TextMeasurer so layout measures exactly what gets drawn. One thread only.
#pragma once

#include "kiosk/core/Layout.h"
#include "kiosk/core/TextMeasurer.h"

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

struct SDL_Surface;
typedef struct _TTF_Font TTF_Font;

namespace kiosk {

struct FontFace {
    std::string regular; // file path
    std::string bold;    // "" -> regular
    bool emoji = false;  // bitmap colour font, scaled after rendering
    bool large = false;  // set by TextEngine: costs megabytes while open (CJK collections)
};

// The default chain, skipping files that are not installed.
std::vector<FontFace> defaultFontChain();

class TextEngine final : public TextMeasurer {
public:
    explicit TextEngine(std::vector<FontFace> chain);
    ~TextEngine() override;
    TextEngine(const TextEngine&) = delete;
    TextEngine& operator=(const TextEngine&) = delete;

    bool ok() const { return !faces_.empty(); }
    // Drops the rendered glyphs SDL_ttf keeps per font and size (up to 256 bitmaps each, tens
    // of megabytes over a day of emoji and CJK at card sizes) and closes the large fallback
    // fonts: an open CJK face holds 2.4 MB of tables and reopens in about a millisecond.
    void releaseGlyphs();
    int width(std::string_view text, FontRole role, int px) override;
    int lineHeight(FontRole role, int px) override;
    // A transparent ARGB surface of item.width x item.height with the line drawn in item.color.
    SDL_Surface* renderLine(const TextItem& item);
    // The characters of text that no font in the chain can draw ("" when all can): tofu.
    std::string missingGlyphs(std::string_view text);
    // How a line is split for drawing, in visual order: each piece with the file name of the
    // font that draws it ("" for an inline picture). For tests and diagnostics.
    std::vector<std::pair<std::string, std::string>> fontRuns(std::string_view line, bool rtl);

private:
    struct Segment {
        std::string text;
        std::size_t face;
        bool rtl;
        std::string script; // ISO 15924, e.g. "Arab", for HarfBuzz
    };
    std::vector<Segment> segments(std::string_view line, bool rtlBase);
    TTF_Font* font(std::size_t face, FontRole role, int px);
    TTF_Font* coverageFont(std::size_t face); // for "has this character" only
    int segmentWidth(const Segment& seg, FontRole role, int px);
    SDL_Surface* renderSegment(const Segment& seg, FontRole role, int px, Color color);
    double emojiScale(int px);
    int inlineImageSize(int px);
    SDL_Surface* inlineImage(const std::string& path, int size);

    static constexpr std::size_t kImageFace = ~std::size_t(0); // a segment of inline pictures

    std::vector<FontFace> faces_;
    struct SizedFont {
        int size = 0;
        TTF_Font* font = nullptr;
        std::uint64_t lastUse = 0;
    };
    static constexpr std::size_t kSizesPerFace = 1;
    std::map<std::pair<std::size_t, int>, std::vector<SizedFont>> fonts_; // (face, bold)
    std::uint64_t useCounter_ = 0;
    std::unordered_map<std::string, int> widthCache_;
    std::unordered_map<std::string, SDL_Surface*> inlineImages_; // path@size
};

} // namespace kiosk
