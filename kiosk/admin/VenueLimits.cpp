// See VenueLimits.h.
#include "kiosk/admin/VenueLimits.h"

#include <algorithm>

namespace kiosk {
namespace {

// Phones and addresses remembered at most; a flood of made-up device cookies must not grow the
// map without end (the per-address limit still holds for them).
constexpr std::size_t kMaxKeys = 20000;

} // namespace

VenueLimits::VenueLimits(RateWindow perDevice, RateWindow perAddress, RateWindow total)
    : perDevice_(perDevice), perAddress_(perAddress), total_(total) {}

UnixTime VenueLimits::wait(Times& times, const RateWindow& limit, UnixTime now) {
    while (!times.empty() && now - times.front() >= limit.seconds) {
        times.pop_front();
    }
    if (int(times.size()) < limit.count) {
        return 0;
    }
    return std::max<UnixTime>(1, times.front() + limit.seconds - now);
}

UnixTime VenueLimits::waitLocked(const std::string& device, const std::string& address,
                                 UnixTime now) {
    for (auto* map : {&devices_, &addresses_}) {
        if (map->size() > kMaxKeys) {
            std::erase_if(*map, [&](const auto& entry) {
                return entry.second.empty() || now - entry.second.back() >= 24 * 3600;
            });
        }
    }
    UnixTime longest =
        std::max(wait(addresses_[address], perAddress_, now), wait(all_, total_, now));
    // Made-up cookies beyond what the map holds count by address alone.
    if (!device.empty() && (devices_.count(device) || devices_.size() < 2 * kMaxKeys)) {
        longest = std::max(longest, wait(devices_[device], perDevice_, now));
    }
    return longest;
}

UnixTime VenueLimits::check(const std::string& device, const std::string& address, UnixTime now) {
    std::lock_guard lock(mutex_);
    return waitLocked(device, address, now);
}

UnixTime VenueLimits::take(const std::string& device, const std::string& address, UnixTime now) {
    std::lock_guard lock(mutex_);
    if (const UnixTime longest = waitLocked(device, address, now); longest > 0) {
        return longest;
    }
    if (!device.empty() && (devices_.count(device) || devices_.size() < 2 * kMaxKeys)) {
        devices_[device].push_back(now);
    }
    addresses_[address].push_back(now);
    all_.push_back(now);
    return 0;
}

} // namespace kiosk
