// Rendezvous (highest random weight) hashing: which of several named screens a key belongs to,
// the same answer on every screen that knows the same names, and when a screen leaves only its
// keys move. A wall group uses it to give each source one fetcher and each post a screen that
// shows it first.
#pragma once

#include <string>
#include <vector>

namespace kiosk {

// The screen among `screens` that `key` belongs to; "" when there are none.
std::string rendezvousOwner(const std::string& key, const std::vector<std::string>& screens);

} // namespace kiosk
