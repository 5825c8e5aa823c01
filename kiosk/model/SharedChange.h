// One organiser decision as the screens of a wall group share it: kiosk/admin makes and applies
// it, kiosk/group carries it between screens. `key` names what is decided, so a newer decision
// on the same key replaces an older one everywhere:
//   "post/<id>"             {"verdict": "show" | "hide"}
//   "pin/<id>"              {"pinned": true | false}
//   "block/author/<handle>", "block/domain/<domain>"   {"blocked": true | false}
//   "announcement/<id>"     {"text", "from", "until"} or {"deleted": true}
//   "moderation/mode", "moderation/panic"              "pre", "off", ... as in the config file
//   "hashtags"              ["Camp26", ...]
//   "venue/enabled", "venue/qr", "venue/approve_first"  true | false (the attendee page)
//   "sources"               the config file's source list, secrets included
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace kiosk {

struct SharedChange {
    std::string key;
    nlohmann::json value;
    std::int64_t atMs = 0; // when it was decided, stamped by the screen that decided it
    std::string screen;    // the screen whose page it was made on

    // The order every screen resolves conflicts by: later time, then the greater screen name.
    bool newerThan(const SharedChange& other) const {
        return atMs != other.atMs ? atMs > other.atMs : screen > other.screen;
    }
};

// The end of the year 9999 in milliseconds: no screen stamps later, and a screen's next stamp
// (one more than the latest it has seen) stays far from overflowing.
constexpr std::int64_t kLatestStampMs = 253'402'300'799'999;

// As the group's messages carry it: {"key", "value", "at", "screen"}.
nlohmann::json toJson(const SharedChange& change);
// The change in a message from another screen; nullopt when the key is not a non-empty string,
// "at" not a whole number of milliseconds from 0 to kLatestStampMs or "screen" not a string. A
// screen of another version, or anyone else who can publish to the group's topics, sends what it
// likes.
std::optional<SharedChange> sharedChangeFromJson(const nlohmann::json& doc);

// object[key] when it is a whole number that fits: 1e300, 2^64, 2.5 or "soon" are not.
std::optional<std::int64_t> wholeNumberAt(const nlohmann::json& object, const char* key);

} // namespace kiosk
