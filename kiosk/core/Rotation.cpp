// Least-recently-shown rotation with fresh posts first; see Rotation.h.
#include "kiosk/core/Rotation.h"

namespace kiosk {

std::optional<std::size_t> Rotation::next(const std::vector<Post>& posts) {
    std::optional<std::size_t> best;
    std::uint64_t bestTurn = UINT64_MAX;
    for (std::size_t i = 0; i < posts.size(); ++i) {
        if (posts.size() > 1 && posts[i].id == currentId_) {
            continue;
        }
        auto it = lastShown_.find(posts[i].id);
        const std::uint64_t shown = it == lastShown_.end() ? 0 : it->second;
        // posts are newest first, so a strict < keeps the newest among equals.
        if (!best || shown < bestTurn) {
            best = i;
            bestTurn = shown;
        }
    }
    if (best) {
        currentId_ = posts[*best].id;
        lastShown_[currentId_] = ++turn_;
    }
    // Forget posts that left the store so a long day does not grow the map without bound.
    if (lastShown_.size() > 2 * posts.size() + 64) {
        std::unordered_map<std::string, std::uint64_t> kept;
        for (const auto& post : posts) {
            if (auto it = lastShown_.find(post.id); it != lastShown_.end()) {
                kept.insert(*it);
            }
        }
        lastShown_ = std::move(kept);
    }
    return best;
}

} // namespace kiosk
