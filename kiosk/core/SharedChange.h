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

} // namespace kiosk
