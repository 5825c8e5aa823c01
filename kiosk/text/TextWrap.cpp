// ICU-backed wrapping; see TextWrap.h. Strings stay UTF-8 at the API; ICU works in UTF-16.
#include "kiosk/text/TextWrap.h"

#include <unicode/brkiter.h>
#include <unicode/ubidi.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <cstdint>
#include <memory>

namespace kiosk {
namespace {

std::string toUtf8(const icu::UnicodeString& s) {
    std::string out;
    s.toUTF8String(out);
    return out;
}

std::string_view withoutTrailingSpace(std::string_view s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

std::string trimEnd(std::string s) {
    s.resize(withoutTrailingSpace(s).size());
    return s;
}

constexpr UChar kFirstStrongIsolate = 0x2068;
constexpr UChar kPopIsolate = 0x2069;

bool startsToken(const icu::UnicodeString& u, int32_t i) {
    if (i > 0 && !u_isUWhiteSpace(u.char32At(i - 1))) {
        return false;
    }
    return u[i] == u'#' || u[i] == u'@' || u.tempSubString(i, 4) == icu::UnicodeString(u"http");
}

// A hashtag, mention or link is one unit with its own direction, the way browsers show them
// with <bdi>: without it "#VCSSCamp" ending an Arabic post reads "VCSSCamp#", because the bidi
// algorithm gives the '#' the paragraph's direction. Trailing punctuation stays outside.
icu::UnicodeString isolateTokens(const icu::UnicodeString& u) {
    icu::UnicodeString out;
    int32_t i = 0;
    while (i < u.length()) {
        if (!startsToken(u, i)) {
            out.append(u[i++]);
            continue;
        }
        int32_t end = i;
        while (end < u.length() && !u_isUWhiteSpace(u.char32At(end))) {
            end = u.moveIndex32(end, 1);
        }
        int32_t keep = end;
        while (keep > i + 1 && u_ispunct(u.char32At(keep - 1)) && u[keep - 1] != u'/') {
            keep = u.moveIndex32(keep, -1);
        }
        out.append(kFirstStrongIsolate).append(u, i, keep - i).append(kPopIsolate);
        out.append(u, keep, end - keep);
        i = end;
    }
    return out;
}

bool isHangul(UChar32 c) {
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(c, &status) == USCRIPT_HANGUL;
}

// ICU's default line breaking allows a break between any two Hangul syllables; Korean is
// written with spaces between words and reads better when a line never splits a word
// (CSS "word-break: keep-all"). A word too long for a line is still broken, by characters.
bool insideKoreanWord(const icu::UnicodeString& text, int32_t at) {
    if (at <= 0 || at >= text.length()) {
        return false;
    }
    return isHangul(text.char32At(text.moveIndex32(at, -1))) && isHangul(text.char32At(at));
}

std::unique_ptr<icu::BreakIterator> makeIterator(bool lines) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> it(
        lines ? icu::BreakIterator::createLineInstance(icu::Locale::getRoot(), status)
              : icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    return U_SUCCESS(status) ? std::move(it) : nullptr;
}

// Making an ICU break iterator costs more than breaking a card's text with it, and fitText
// wraps the same text at several sizes, so each thread keeps one of each kind. Nothing below
// uses two of the same kind at once. Null when ICU has no rules for it.
icu::BreakIterator* iteratorOver(const icu::UnicodeString& text, bool lines) {
    thread_local const std::unique_ptr<icu::BreakIterator> lineBreaks = makeIterator(true);
    thread_local const std::unique_ptr<icu::BreakIterator> characters = makeIterator(false);
    icu::BreakIterator* it = lines ? lineBreaks.get() : characters.get();
    if (it) {
        it->setText(text);
    }
    return it;
}

// Splits one overlong piece into grapheme-cluster chunks that each fit, stopping once out holds
// more than maxLines.
void breakGraphemes(const icu::UnicodeString& piece, int maxWidth, TextMeasurer& measure,
                    FontRole role, int px, std::size_t maxLines, std::vector<std::string>& out,
                    std::string& current) {
    icu::BreakIterator* chars = iteratorOver(piece, false);
    if (!chars) {
        out.push_back(toUtf8(piece));
        return;
    }
    int32_t start = chars->first();
    for (int32_t end = chars->next(); end != icu::BreakIterator::DONE; end = chars->next()) {
        // Appended in place and taken back when it overflows: a copy of the line for every
        // cluster made a line of n clusters cost n allocations.
        const std::size_t before = current.size();
        piece.tempSubStringBetween(start, end).toUTF8String(current);
        start = end;
        if (before == 0 || measure.width(current, role, px) <= maxWidth) {
            continue;
        }
        std::string cluster = current.substr(before);
        current.resize(before);
        out.push_back(std::move(current));
        current = std::move(cluster);
        if (out.size() > maxLines) {
            return;
        }
    }
}

// Stops once it holds more than maxLines lines: the caller only needs to know that much.
std::vector<std::string> wrapParagraph(const icu::UnicodeString& para, int maxWidth,
                                       TextMeasurer& measure, FontRole role, int px,
                                       std::size_t maxLines) {
    std::vector<std::string> lines;
    icu::BreakIterator* it = iteratorOver(para, true);
    if (!it) {
        lines.push_back(toUtf8(para));
        return lines;
    }
    std::string current;
    int32_t start = it->first();
    for (int32_t end = it->next(); end != icu::BreakIterator::DONE; end = it->next()) {
        if (insideKoreanWord(para, end)) {
            continue; // the piece goes on to the next break
        }
        const icu::UnicodeString pieceU = para.tempSubStringBetween(start, end);
        start = end;
        const std::size_t before = current.size();
        pieceU.toUTF8String(current);
        if (measure.width(withoutTrailingSpace(current), role, px) <= maxWidth) {
            continue;
        }
        std::string piece = current.substr(before);
        current.resize(before);
        if (!current.empty()) {
            lines.push_back(trimEnd(std::move(current)));
            current.clear();
        }
        if (measure.width(withoutTrailingSpace(piece), role, px) <= maxWidth) {
            current = std::move(piece);
        } else {
            breakGraphemes(pieceU, maxWidth, measure, role, px, maxLines, lines, current);
        }
        if (lines.size() > maxLines) {
            return lines;
        }
    }
    if (!current.empty() || lines.empty()) {
        lines.push_back(trimEnd(current));
    }
    return lines;
}

} // namespace

bool isRtlParagraph(std::string_view text) {
    const icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    return ubidi_getBaseDirection(u.getBuffer(), u.length()) == UBIDI_RTL;
}

namespace {

// A card shows a few dozen lines, and a post can hold 60 KB (a pasted log in a blog comment):
// wrapping stops once it has more lines than fit, so laying out a card costs what it shows, not
// what the author wrote. Returns at most maxLines + 1 lines.
std::vector<WrappedLine> wrapLines(std::string_view text, int maxWidth, TextMeasurer& measure,
                                   FontRole role, int px, std::size_t maxLines) {
    std::vector<WrappedLine> out;
    std::size_t pos = 0;
    while (pos <= text.size() && out.size() <= maxLines) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos) {
            nl = text.size();
        }
        const std::string_view para = text.substr(pos, nl - pos);
        const bool rtl = isRtlParagraph(para);
        const auto u =
            icu::UnicodeString::fromUTF8(icu::StringPiece(para.data(), int32_t(para.size())));
        auto lines = wrapParagraph(u, maxWidth, measure, role, px, maxLines - out.size());
        for (std::size_t i = 0; i < lines.size(); ++i) {
            out.push_back({std::move(lines[i]), rtl, i + 1 == lines.size()});
        }
        pos = nl + 1;
    }
    if (out.size() > maxLines + 1) {
        out.resize(maxLines + 1);
    }
    return out;
}

// How many lines of px fit in maxHeight.
std::size_t linesThatFit(int maxHeight, TextMeasurer& measure, FontRole role, int px) {
    return std::size_t(std::max(0, maxHeight) / std::max(1, measure.lineHeight(role, px)));
}

} // namespace

std::vector<WrappedLine> wrapText(std::string_view text, int maxWidth, TextMeasurer& measure,
                                  FontRole role, int px) {
    return wrapLines(text, maxWidth, measure, role, px, SIZE_MAX - 1);
}

std::string ellipsize(std::string_view text, int maxWidth, TextMeasurer& measure, FontRole role,
                      int px) {
    if (measure.width(text, role, px) <= maxWidth) {
        return std::string(text);
    }
    const auto u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    icu::BreakIterator* chars = iteratorOver(u, false);
    if (!chars) {
        return "…";
    }
    std::string best = "…";
    for (int32_t end = chars->next(); end != icu::BreakIterator::DONE; end = chars->next()) {
        std::string candidate = trimEnd(toUtf8(u.tempSubString(0, end))) + "…";
        if (measure.width(candidate, role, px) > maxWidth) {
            break;
        }
        best = std::move(candidate);
    }
    return best;
}

FittedText fitText(std::string_view text, int maxWidth, int maxHeight, TextMeasurer& measure,
                   FontRole role, int minPx, int maxPx) {
    FittedText fit;
    const auto fits = [&](int px, std::vector<WrappedLine>& lines) {
        const std::size_t room = linesThatFit(maxHeight, measure, role, px);
        lines = wrapLines(text, maxWidth, measure, role, px, room);
        return lines.size() <= room;
    };
    // Binary search: more text per line at smaller sizes makes "fits" monotonic in practice.
    int lo = minPx, hi = maxPx;
    std::vector<WrappedLine> lines;
    if (fits(maxPx, lines)) {
        return {maxPx, std::move(lines), false};
    }
    bool found = false;
    while (lo <= hi) {
        const int mid = (lo + hi) / 2;
        std::vector<WrappedLine> candidate;
        if (fits(mid, candidate)) {
            found = true;
            fit.px = mid;
            fit.lines = std::move(candidate);
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    if (found) {
        return fit;
    }
    // Too long even at the smallest size: keep what fits, end the last line with an ellipsis.
    fit.px = minPx;
    const std::size_t keep =
        std::max<std::size_t>(1, linesThatFit(maxHeight, measure, role, minPx));
    fit.lines = wrapLines(text, maxWidth, measure, role, minPx, keep);
    if (fit.lines.size() > keep) {
        fit.lines.resize(keep);
        fit.truncated = true;
        WrappedLine& last = fit.lines.back();
        // ellipsize() keeps a string that fits as is, and otherwise cuts it and adds "…".
        last.text = ellipsize(last.text + "…", maxWidth, measure, role, minPx);
    }
    return fit;
}

std::vector<VisualRun> visualRuns(std::string_view line, bool rtlBase) {
    const icu::UnicodeString u = isolateTokens(
        icu::UnicodeString::fromUTF8(icu::StringPiece(line.data(), int32_t(line.size()))));
    std::vector<VisualRun> runs;
    UErrorCode status = U_ZERO_ERROR;
    UBiDi* bidi = ubidi_openSized(u.length(), 0, &status);
    if (U_SUCCESS(status)) {
        ubidi_setPara(bidi, u.getBuffer(), u.length(), rtlBase ? UBIDI_RTL : UBIDI_LTR, nullptr,
                      &status);
    }
    const int32_t count = U_SUCCESS(status) ? ubidi_countRuns(bidi, &status) : 0;
    for (int32_t i = 0; U_SUCCESS(status) && i < count; ++i) {
        int32_t start = 0, length = 0;
        const UBiDiDirection dir = ubidi_getVisualRun(bidi, i, &start, &length);
        icu::UnicodeString text = u.tempSubString(start, length);
        text.findAndReplace(icu::UnicodeString(kFirstStrongIsolate), icu::UnicodeString())
            .findAndReplace(icu::UnicodeString(kPopIsolate), icu::UnicodeString());
        if (!text.isEmpty()) {
            runs.push_back({toUtf8(text), dir == UBIDI_RTL});
        }
    }
    if (bidi) {
        ubidi_close(bidi);
    }
    if (runs.empty() && !line.empty()) {
        runs.push_back({std::string(line), rtlBase});
    }
    return runs;
}

} // namespace kiosk
