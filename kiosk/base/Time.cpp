// ISO 8601 / RFC 3339 parsing without locale or timezone database: the zone is always explicit
// (or UTC by contract), so a days-from-civil calculation is exact and thread-safe.
#include "kiosk/base/Time.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <string>
#include <vector>

namespace kiosk {
namespace {

// Howard Hinnant's days_from_civil algorithm (public domain description of the calendar maths).
std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return std::int64_t(era) * 146097 + std::int64_t(doe) - 719468;
}

bool readInt(std::string_view text, std::size_t pos, std::size_t len, int& out) {
    if (pos + len > text.size()) {
        return false;
    }
    for (std::size_t i = pos; i < pos + len; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return false;
        }
    }
    auto res = std::from_chars(text.data() + pos, text.data() + pos + len, out);
    return res.ec == std::errc();
}

} // namespace

std::optional<UnixTime> parseIsoTime(std::string_view s) {
    int y, mo, d, h, mi, sec;
    if (!readInt(s, 0, 4, y) || s.size() < 19 || s[4] != '-' || !readInt(s, 5, 2, mo) ||
        s[7] != '-' || !readInt(s, 8, 2, d) || (s[10] != 'T' && s[10] != ' ' && s[10] != 't') ||
        !readInt(s, 11, 2, h) || s[13] != ':' || !readInt(s, 14, 2, mi) || s[16] != ':' ||
        !readInt(s, 17, 2, sec)) {
        return std::nullopt;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) {
        return std::nullopt;
    }
    std::size_t pos = 19;
    if (pos < s.size() && s[pos] == '.') {
        ++pos;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            ++pos;
        }
    }
    int offset = 0;
    if (pos < s.size()) {
        const char z = s[pos];
        if (z == 'Z' || z == 'z') {
            ++pos;
        } else if (z == '+' || z == '-') {
            int oh, om;
            std::size_t minutesAt = pos + 3;
            if (!readInt(s, pos + 1, 2, oh)) {
                return std::nullopt;
            }
            if (minutesAt < s.size() && s[minutesAt] == ':') {
                ++minutesAt;
            }
            if (!readInt(s, minutesAt, 2, om)) {
                return std::nullopt;
            }
            offset = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
            pos = minutesAt + 2;
        }
    }
    if (pos != s.size()) {
        return std::nullopt;
    }
    const std::int64_t days = daysFromCivil(y, unsigned(mo), unsigned(d));
    return days * 86400 + h * 3600 + mi * 60 + sec - offset;
}

std::optional<UnixTime> parseRfc822Time(std::string_view text) {
    // Tokenise on spaces and commas; the weekday is optional and ignored.
    std::vector<std::string_view> parts;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find_first_of(" ,\t", pos), text.size());
        if (end > pos) {
            parts.push_back(text.substr(pos, end - pos));
        }
        pos = end + 1;
    }
    if (!parts.empty() && !parts[0].empty() && (parts[0][0] < '0' || parts[0][0] > '9')) {
        parts.erase(parts.begin());
    }
    if (parts.size() < 4) {
        return std::nullopt;
    }
    static const char* kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    int month = 0;
    for (int i = 0; i < 12; ++i) {
        if (parts[1].size() >= 3 && std::tolower(parts[1][0]) == kMonths[i][0] &&
            std::tolower(parts[1][1]) == kMonths[i][1] &&
            std::tolower(parts[1][2]) == kMonths[i][2]) {
            month = i + 1;
        }
    }
    int day = 0, year = 0, h = 0, mi = 0, sec = 0;
    if (month == 0 ||
        std::from_chars(parts[0].data(), parts[0].data() + parts[0].size(), day).ec !=
            std::errc() ||
        std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), year).ec !=
            std::errc()) {
        return std::nullopt;
    }
    if (parts[2].size() == 2) {
        year += year < 50 ? 2000 : 1900;
    }
    const std::string_view clock = parts[3];
    if (!readInt(clock, 0, 2, h) || clock.size() < 5 || clock[2] != ':' ||
        !readInt(clock, 3, 2, mi)) {
        return std::nullopt;
    }
    if (clock.size() >= 8 && clock[5] == ':' && !readInt(clock, 6, 2, sec)) {
        return std::nullopt;
    }
    int offset = 0;
    if (parts.size() > 4) {
        const std::string_view zone = parts[4];
        int oh = 0, om = 0;
        if ((zone[0] == '+' || zone[0] == '-') && readInt(zone, 1, 2, oh) &&
            readInt(zone, 3, 2, om)) {
            offset = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
        } else {
            static const std::pair<std::string_view, int> kZones[] = {
                {"UT", 0},   {"GMT", 0},  {"Z", 0},    {"EST", -5}, {"EDT", -4}, {"CST", -6},
                {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}, {"UTC", 0}};
            for (const auto& [name, hours] : kZones) {
                if (zone == name) {
                    offset = hours * 3600;
                }
            }
        }
    }
    if (day < 1 || day > 31 || h > 23 || mi > 59 || sec > 60) {
        return std::nullopt;
    }
    return daysFromCivil(year, unsigned(month), unsigned(day)) * 86400 + h * 3600 + mi * 60 + sec -
           offset;
}

std::string formatIsoTime(UnixTime t) {
    std::int64_t days = t / 86400;
    std::int64_t rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    // civil_from_days, the inverse of daysFromCivil.
    days += 719468;
    const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = unsigned(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t y = std::int64_t(yoe) + era * 400 + (m <= 2);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02dZ", static_cast<long long>(y), m,
                  d, int(rem / 3600), int(rem % 3600 / 60), int(rem % 60));
    return buf;
}

std::string relativeTime(UnixTime now, UnixTime then) {
    const std::int64_t age = now - then;
    if (age < 60) {
        return "just now"; // also covers clock skew into the future
    }
    if (age < 3600) {
        return std::to_string(age / 60) + " min ago";
    }
    if (age < 86400) {
        return std::to_string(age / 3600) + " h ago";
    }
    if (age < 7 * 86400) {
        const auto days = age / 86400;
        return std::to_string(days) + (days == 1 ? " day ago" : " days ago");
    }
    // Older than a week: a date reads better than "23 days ago".
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::string iso = formatIsoTime(then);
    const int month = std::stoi(iso.substr(5, 2));
    const int day = std::stoi(iso.substr(8, 2));
    return std::to_string(day) + " " + kMonths[month - 1] + " " + iso.substr(0, 4);
}

} // namespace kiosk
