// See Utf8.h.
#include "kiosk/base/Utf8.h"

namespace kiosk {

std::size_t utf8Boundary(std::string_view text, std::size_t at) {
    if (at >= text.size()) {
        return text.size();
    }
    // A continuation byte (10xxxxxx) is never where a character starts.
    while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) {
        --at;
    }
    return at;
}

} // namespace kiosk
