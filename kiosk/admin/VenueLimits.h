// How often attendees may post to the wall or ask for a post's removal: a sliding window per
// phone (a cookie the page sets), per network address (phones behind one NAT share it) and for
// the whole venue, so one person cannot flood the organiser's queue and a crowd cannot empty
// the wall. Pure logic on a clock the caller passes; thread-safe.
#pragma once

#include "kiosk/base/Time.h"

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <string>

namespace kiosk {

struct RateWindow {
    int count = 3;
    UnixTime seconds = 600;
};

class VenueLimits {
public:
    VenueLimits(RateWindow perDevice, RateWindow perAddress, RateWindow total);

    // 0 when the action may go ahead (it is counted); otherwise how many seconds until the
    // oldest of the counted ones leaves the window.
    UnixTime take(const std::string& device, const std::string& address, UnixTime now);
    // The same without counting: whether it would go ahead now.
    UnixTime check(const std::string& device, const std::string& address, UnixTime now);

private:
    UnixTime waitLocked(const std::string& device, const std::string& address, UnixTime now);

    using Times = std::deque<UnixTime>;
    // Seconds until `times` has room under `limit`, after dropping what left the window.
    static UnixTime wait(Times& times, const RateWindow& limit, UnixTime now);

    RateWindow perDevice_, perAddress_, total_;
    std::mutex mutex_;
    std::map<std::string, Times> devices_;   // guarded by mutex_
    std::map<std::string, Times> addresses_; // guarded by mutex_
    Times all_;                              // guarded by mutex_
};

} // namespace kiosk
