// Where the wall keeps what it writes when the config does not say: the XDG base directories
// of the user it runs as, each with a "kiosk" folder, or the system's folders for a service
// without a home. The one place these variables are read.
#pragma once

#include <string>

namespace kiosk {

enum class UserDir {
    Data,  // $XDG_DATA_HOME/kiosk, ~/.local/share/kiosk, /var/lib/kiosk: the database
    Cache, // $XDG_CACHE_HOME/kiosk, ~/.cache/kiosk, /var/cache/kiosk: downloaded media
    State, // $XDG_STATE_HOME/kiosk, ~/.local/state/kiosk, /var/lib/kiosk: login sessions
};

std::string userDir(UserDir which);

} // namespace kiosk
