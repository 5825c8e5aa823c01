// See Rendezvous.h. FNV-1a over "screen\nkey", then MurmurHash3's 64-bit finaliser: FNV alone
// barely moves the high bits for keys that differ only at the end (every post id of one
// server), so one screen won nearly every key. Stable across builds and machines, which
// std::hash is not.
#include "kiosk/base/Rendezvous.h"

#include <cstdint>

namespace kiosk {

std::string rendezvousOwner(const std::string& key, const std::vector<std::string>& screens) {
    std::string best;
    std::uint64_t bestScore = 0;
    for (const auto& screen : screens) {
        std::uint64_t h = 14695981039346656037ull;
        for (unsigned char c : screen + "\n" + key) {
            h = (h ^ c) * 1099511628211ull;
        }
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 33;
        if (best.empty() || h > bestScore || (h == bestScore && screen > best)) {
            best = screen;
            bestScore = h;
        }
    }
    return best;
}

} // namespace kiosk
