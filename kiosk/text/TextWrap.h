// Line breaking and fitting for card text through ICU: break opportunities from the line
// break rules (spaces for Latin, between ideographs for CJK), graphemes as the last resort for
// an overlong word or URL, and the largest font size that fits a box. Pure: widths come from a
// TextMeasurer.
#pragma once

#include "kiosk/text/TextMeasurer.h"

#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct WrappedLine {
    std::string text;
    bool rtl = false; // the paragraph's base direction is right-to-left
    bool paragraphEnd = false;
};

std::vector<WrappedLine> wrapText(std::string_view text, int maxWidth, TextMeasurer& measure,
                                  FontRole role, int px);

struct FittedText {
    int px = 0;
    std::vector<WrappedLine> lines;
    bool truncated = false; // the text did not fit even at minPx and ends with "…"
};

// Largest size in [minPx, maxPx] whose wrapped lines fit in maxWidth x maxHeight.
FittedText fitText(std::string_view text, int maxWidth, int maxHeight, TextMeasurer& measure,
                   FontRole role, int minPx, int maxPx);

// The longest prefix (on a grapheme boundary) that fits with "…" appended; text itself if it fits.
std::string ellipsize(std::string_view text, int maxWidth, TextMeasurer& measure, FontRole role,
                      int px);

// True when the first strong character of text is right-to-left (Arabic, Hebrew, ...).
bool isRtlParagraph(std::string_view text);

struct VisualRun {
    std::string text;
    bool rtl = false;
};
// The runs of one line in left-to-right display order (Unicode bidi algorithm via ICU).
std::vector<VisualRun> visualRuns(std::string_view line, bool rtlBase);

} // namespace kiosk
