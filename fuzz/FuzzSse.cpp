// libFuzzer target for the server-sent events framing of Mastodon's streaming API: the bytes
// arrive in chunks split anywhere (the first byte of the input chooses the chunk size).
#include "kiosk/net/Sse.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::size_t chunk = std::size_t(data[0] % 64) + 1;
    const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
    std::size_t events = 0;
    kiosk::SseParser parser([&events](const kiosk::SseEvent& e) {
        events += e.data.size() + e.event.size() > 0 ? 1 : 0;
    });
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
        parser.feed(stream.substr(at, std::min(chunk, stream.size() - at)));
    }
    return 0;
}
