// libFuzzer target for the config reader: any file an organiser (or a broken editor) writes
// must load or give messages naming the line or the field, never a crash.
#include "kiosk/config/Config.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto config = kiosk::parseConfig(text, "/nonexistent/fuzz/kiosk.json");
    if (config) {
        (void)kiosk::callToActionText(config.value().event);
        (void)kiosk::announcementPosts(config.value());
    }
    return 0;
}
