// How a source is doing: what the fetch worker records after each poll and what the control page,
// `kiosk fetch` and the wall's offline notice read. Kept below both so neither needs the other.
#pragma once

#include "kiosk/base/Time.h"

#include <cstddef>
#include <string>

namespace kiosk {

struct SourceHealth {
    std::string label;
    bool ok = false; // last poll succeeded
    UnixTime lastSuccess = 0;
    UnixTime lastAttempt = 0;
    UnixTime nextPoll = 0;
    std::string lastError;  // names the URL and what went wrong
    std::string warning;    // polls work but something is off ("stalled: ..."); "" when not
    bool streaming = false; // connected to a push stream right now
    std::size_t postsSeen = 0;
    int consecutiveFailures = 0;
};

std::string describeHealth(const SourceHealth& health, UnixTime now);

} // namespace kiosk
