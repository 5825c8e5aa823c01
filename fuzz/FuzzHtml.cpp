// libFuzzer target for HTML to text (gumbo underneath): post bodies are HTML from strangers.
#include "kiosk/base/Log.h"
#include "kiosk/text/Html.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // HTML that outgrows its budget is logged: expected here, and a line per input is slow.
    static const bool quiet = (kiosk::setLogLevel(kiosk::LogLevel::Error), true);
    (void)quiet;
    (void)kiosk::htmlToText(std::string_view(reinterpret_cast<const char*>(data), size));
    return 0;
}
