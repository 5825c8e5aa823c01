// See ReadingTime.h.
#include "kiosk/model/ReadingTime.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace kiosk {

double wordCount(std::string_view text) {
    double words = 0;
    int denseChars = 0;
    bool inWord = false;
    const char* s = text.data();
    const int32_t n = int32_t(text.size());
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0) {
            continue;
        }
        UErrorCode status = U_ZERO_ERROR;
        const UScriptCode script = uscript_getScript(c, &status);
        const bool dense = script == USCRIPT_HAN || script == USCRIPT_HIRAGANA ||
                           script == USCRIPT_KATAKANA || script == USCRIPT_THAI ||
                           script == USCRIPT_HANGUL;
        if (dense) {
            ++denseChars;
            inWord = false;
        } else if (u_isUWhiteSpace(c)) {
            inWord = false;
        } else if (!inWord) {
            inWord = true;
            ++words;
        }
    }
    return words + denseChars / 2.0;
}

double readingSeconds(const std::vector<Post>& page, const ReadingPace& pace) {
    double longest = 0;
    for (const auto& post : page) {
        // Behind a content warning only the warning is read.
        const std::string& text = post.spoiler.empty() ? post.text : post.spoiler;
        const double words = wordCount(text) + wordCount(post.author.name) + 2;
        longest = std::max(longest, words / std::max(1.0, pace.wordsPerMinute) * 60.0);
    }
    return std::clamp(longest + 1.5, pace.minSeconds, std::max(pace.minSeconds, pace.maxSeconds));
}

} // namespace kiosk
