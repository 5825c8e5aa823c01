// libFuzzer target for reading a stored post back (the database and a wall group's messages
// hold posts as JSON): a damaged row or a hostile group member's message is refused, never a
// crash, and numbers that do not fit are not narrowed blindly.
#include "kiosk/model/Post.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto post = kiosk::postFromJson(std::string_view(reinterpret_cast<const char*>(data), size));
    if (post) {
        (void)kiosk::toJsonLine(*post);
    }
    return 0;
}
