// Timestamps as UTC seconds since the epoch. Parsing covers the formats our sources send
// (RFC 3339 with Z or an offset, fractions, and WordPress's zone-less date_gmt); relative
// time is what attendees read on a card. Nothing here reads the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk {

using UnixTime = std::int64_t;

// "2026-11-26T10:15:00.123Z", "2026-11-26T10:15:00+02:00", "2026-11-26T10:15:00" (taken as UTC).
std::optional<UnixTime> parseIsoTime(std::string_view text);
// RSS dates (RFC 822/1123): "Sat, 13 Jun 2026 09:30:00 +0000", "GMT", "EST", 2-digit years.
std::optional<UnixTime> parseRfc822Time(std::string_view text);
// Always "YYYY-MM-DDTHH:MM:SSZ".
std::string formatIsoTime(UnixTime t);
// "just now", "5 min ago", "3 h ago", "2 days ago", or a date for older posts.
std::string relativeTime(UnixTime now, UnixTime then);

} // namespace kiosk
