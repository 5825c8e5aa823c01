// See RateLimit.h.
#include "kiosk/net/RateLimit.h"

#include <algorithm>
#include <charconv>

namespace kiosk {
namespace {

constexpr UnixTime kLongestWait = 6 * 3600; // a broken header must not silence a source all day

std::optional<long long> wholeNumber(const std::string& text) {
    long long v = 0;
    const char* end = text.data() + text.size();
    auto r = std::from_chars(text.data(), end, v);
    if (r.ec != std::errc() || r.ptr != end) {
        // Mastodon's reset can carry a fraction ("1712345678.5"); keep the whole seconds.
        if (r.ec == std::errc() && *r.ptr == '.') {
            return v;
        }
        return std::nullopt;
    }
    return v;
}

std::string firstHeader(const HttpResponse& r, std::initializer_list<const char*> names) {
    for (const char* name : names) {
        if (auto v = r.header(name); !v.empty()) {
            return v;
        }
    }
    return {};
}

} // namespace

std::optional<UnixTime> parseResetValue(const std::string& value, UnixTime now) {
    if (auto iso = parseIsoTime(value)) {
        return iso;
    }
    if (auto n = wholeNumber(value)) {
        // Epoch seconds are large; small numbers are a delta (the IETF RateLimit draft).
        return *n > 1000000000 ? UnixTime(*n) : now + *n;
    }
    return parseRfc822Time(value);
}

std::optional<Throttle> throttleFrom(const HttpResponse& r, UnixTime now) {
    const std::string reset =
        firstHeader(r, {"x-ratelimit-reset", "ratelimit-reset", "x-rate-limit-reset"});
    const std::string remaining =
        firstHeader(r, {"x-ratelimit-remaining", "ratelimit-remaining", "x-rate-limit-remaining"});
    std::optional<UnixTime> until;
    std::string reason;
    if (r.status == 429 || r.status == 503) {
        if (auto retry = r.header("retry-after"); !retry.empty()) {
            until = parseResetValue(retry, now);
            reason = "HTTP " + std::to_string(r.status) + ", Retry-After " + retry;
        }
        if (!until && !reset.empty()) {
            until = parseResetValue(reset, now);
            reason = "HTTP " + std::to_string(r.status) + ", rate limit resets at " + reset;
        }
        if (!until && r.status == 429) {
            until = now + 60; // told to slow down without a time: a minute, then backoff grows
            reason = "HTTP 429 without Retry-After";
        }
    } else if (remaining == "0" && !reset.empty()) {
        until = parseResetValue(reset, now);
        reason = "rate limit used up until " + reset;
    }
    if (!until || *until <= now) {
        return std::nullopt;
    }
    return Throttle{std::min(*until, now + kLongestWait), reason};
}

} // namespace kiosk
