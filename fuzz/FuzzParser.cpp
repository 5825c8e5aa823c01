// libFuzzer target for one source format's parser, chosen at build time (KIOSK_FUZZ_FORMAT):
// any bytes a server could send must give posts or an error, never a crash or undefined
// behaviour. Every post that comes out is also printed as the Post contract, as `kiosk parse`
// would, and read back as the store reads it: the trip must not lose the post.
#include "kiosk/base/Log.h"
#include "kiosk/model/Post.h"
#include "kiosk/sources/SourceRegistry.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const kiosk::SourceType* type = kiosk::findSourceType(KIOSK_FUZZ_FORMAT);
    // HTML that outgrows its budget is logged: expected here, and a line per input is slow.
    static const bool quiet = (kiosk::setLogLevel(kiosk::LogLevel::Error), true);
    (void)quiet;
    const std::string_view body(reinterpret_cast<const char*>(data), size);
    kiosk::ParseContext context;
    context.now = 1784000000;
    auto out = type->parse(body, context);
    if (out) {
        for (const auto& post : out.value().posts) {
            // What the store writes and reads back must survive the trip.
            const std::string line = kiosk::toJsonLine(post);
            if (!kiosk::postFromJson(line)) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
