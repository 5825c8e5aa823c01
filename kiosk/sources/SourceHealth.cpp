// See SourceHealth.h.
#include "kiosk/sources/SourceHealth.h"

namespace kiosk {

std::string describeHealth(const SourceHealth& h, UnixTime now) {
    std::string line = h.label + ": ";
    if (h.lastAttempt == 0) {
        return line + "not polled yet";
    }
    if (h.ok) {
        line += (h.streaming ? "streaming, " : "ok, ") + std::to_string(h.postsSeen) + " posts";
        if (!h.warning.empty()) {
            line += "; " + h.warning;
        }
    } else {
        line += "error: " + h.lastError;
        if (h.lastSuccess != 0) {
            line += " (last success " + relativeTime(now, h.lastSuccess) + ")";
        }
    }
    if (h.nextPoll > now) {
        line += ", next poll in " + std::to_string(h.nextPoll - now) + " s";
    }
    return line;
}

} // namespace kiosk
