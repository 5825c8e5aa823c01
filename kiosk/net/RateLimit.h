// Reads what a server says about when to come back: Retry-After (seconds or an HTTP date),
// and the three reset-header dialects we meet (Mastodon X-RateLimit-Reset as an ISO time,
// Bluesky RateLimit-Reset and X x-rate-limit-reset as epoch seconds).
#pragma once

#include "kiosk/base/Time.h"
#include "kiosk/net/HttpClient.h"

#include <optional>
#include <string>

namespace kiosk {

struct Throttle {
    UnixTime until = 0; // do not ask this host again before this time
    std::string reason; // "HTTP 429, Retry-After 120 s", "rate limit used up until ..."
};

// nullopt when the response allows the next request at the normal pace.
std::optional<Throttle> throttleFrom(const HttpResponse& response, UnixTime now);

// A reset header's value as an absolute time: ISO 8601, epoch seconds, or delta seconds.
std::optional<UnixTime> parseResetValue(const std::string& value, UnixTime now);

} // namespace kiosk
