// libFuzzer target for HTML to text (gumbo underneath): post bodies are HTML from strangers.
#include "kiosk/core/Html.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)kiosk::htmlToText(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
