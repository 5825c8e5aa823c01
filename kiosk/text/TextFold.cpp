// See TextFold.h. One ICU transliterator per thread: creating one is slow, using one is not
// thread-safe.
#include "kiosk/text/TextFold.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <memory>

namespace kiosk {
namespace {

icu::Transliterator* stripAccents() {
    thread_local std::unique_ptr<icu::Transliterator> t = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::Transliterator> made(icu::Transliterator::createInstance(
            "NFD; [:Nonspacing Mark:] Remove; NFC", UTRANS_FORWARD, status));
        return U_SUCCESS(status) ? std::move(made) : nullptr;
    }();
    return t.get();
}

bool wordCharBefore(std::string_view s, std::size_t at) {
    if (at == 0) {
        return false;
    }
    int32_t i = int32_t(at);
    UChar32 c;
    U8_PREV(s.data(), 0, i, c);
    return c >= 0 && (u_isalnum(c) || c == '_');
}

bool wordCharAt(std::string_view s, std::size_t at) {
    if (at >= s.size()) {
        return false;
    }
    int32_t i = int32_t(at);
    UChar32 c;
    U8_NEXT(s.data(), i, int32_t(s.size()), c);
    return c >= 0 && (u_isalnum(c) || c == '_');
}

} // namespace

std::string foldText(std::string_view text) {
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), int32_t(text.size())));
    if (auto* t = stripAccents()) {
        t->transliterate(u);
    }
    u.foldCase();
    std::string out;
    u.toUTF8String(out);
    // Runs of whitespace become one space, so phrases match across line breaks.
    std::string collapsed;
    bool space = false;
    for (char c : out) {
        const bool isSpace = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        if (isSpace) {
            space = !collapsed.empty();
            continue;
        }
        if (space) {
            collapsed += ' ';
            space = false;
        }
        collapsed += c;
    }
    return collapsed;
}

bool containsWord(std::string_view text, std::string_view phrase) {
    if (phrase.empty()) {
        return false;
    }
    for (std::size_t pos = text.find(phrase); pos != std::string_view::npos;
         pos = text.find(phrase, pos + 1)) {
        if (!wordCharBefore(text, pos) && !wordCharAt(text, pos + phrase.size())) {
            return true;
        }
    }
    return false;
}

} // namespace kiosk
