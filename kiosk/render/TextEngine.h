// Fonts for the wall through SDL_ttf (HarfBuzz shaping): a fallback chain chosen per code point
// (Latin, Arabic, Hebrew, Thai, Devanagari, CJK, symbols, colour emoji), lines drawn in bidi
// visual order, colour emoji scaled from the emoji font's single bitmap size to the line.
// Implements TextMeasurer so layout measures exactly what gets drawn. FontSet holds the open
// fonts. One thread only.
#pragma once

#include "kiosk/layout/Layout.h"
#include "kiosk/render/FontSet.h"
#include "kiosk/text/TextMeasurer.h"

#include <string>
#include <unordered_map>
#include <vector>

struct SDL_Surface;

namespace kiosk {

class TextEngine final : public TextMeasurer {
public:
    explicit TextEngine(std::vector<FontFace> chain);
    ~TextEngine() override;
    TextEngine(const TextEngine&) = delete;
    TextEngine& operator=(const TextEngine&) = delete;

    bool ok() const { return !fonts_.empty(); }
    // Drops the rendered glyphs SDL_ttf keeps per font (up to 256 bitmaps each, tens of
    // megabytes over a day of emoji and CJK at card sizes) and closes the large fallback fonts.
    void releaseGlyphs();
    std::size_t openLargeFonts() const { return fonts_.openLargeFonts(); }
    int width(std::string_view text, FontRole role, int px) override;
    int lineHeight(FontRole role, int px) override;
    // A transparent ARGB surface of item.width x item.height with the line drawn in item.color.
    SDL_Surface* renderLine(const TextItem& item);
    // The characters of text that no font in the chain can draw ("" when all can): tofu.
    std::string missingGlyphs(std::string_view text);
    // Bytes of text the width cache holds (its keys), for tests.
    std::size_t widthCacheBytes() const { return widthCacheBytes_; }
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
    int segmentWidth(const Segment& seg, FontRole role, int px);
    SDL_Surface* renderSegment(const Segment& seg, FontRole role, int px, Color color);
    double emojiScale(int px);
    int inlineImageSize(int px);
    SDL_Surface* inlineImage(const std::string& path, int size);

    static constexpr std::size_t kImageFace = ~std::size_t(0); // a segment of inline pictures

    FontSet fonts_;
    // Layout measures the same prefixes at each size it tries. Bounded by entries and by bytes:
    // a few hundred posts with 64 KB of text each would otherwise hold gigabytes.
    static constexpr std::size_t kWidthCacheEntries = 20000;
    static constexpr std::size_t kWidthCacheBytes = 4 * 1024 * 1024;
    std::unordered_map<std::string, int> widthCache_;
    std::size_t widthCacheBytes_ = 0;
    std::unordered_map<std::string, SDL_Surface*> inlineImages_; // path@size
};

} // namespace kiosk
