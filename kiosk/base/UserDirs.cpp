// See UserDirs.h.
#include "kiosk/base/UserDirs.h"

#include <cstdlib>

namespace kiosk {

std::string userDir(UserDir which) {
    struct Place {
        const char* variable;
        const char* underHome;
        const char* system;
    };
    static const Place kPlaces[] = {
        {"XDG_DATA_HOME", "/.local/share/kiosk", "/var/lib/kiosk"},
        {"XDG_CACHE_HOME", "/.cache/kiosk", "/var/cache/kiosk"},
        {"XDG_STATE_HOME", "/.local/state/kiosk", "/var/lib/kiosk"},
    };
    const Place& place = kPlaces[static_cast<int>(which)];
    if (const char* dir = std::getenv(place.variable); dir && *dir) {
        return std::string(dir) + "/kiosk";
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        return std::string(home) + place.underHome;
    }
    return place.system;
}

} // namespace kiosk
