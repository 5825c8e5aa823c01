// Decides which post the wall shows next: posts never shown go first (newest first), then the
// least recently shown one, never the one on screen now when there is another. Pure logic; the
// durable, fair scheduler of the moderation issue grows from here.
#pragma once

#include "kiosk/core/Post.h"

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace kiosk {

class Rotation {
public:
    // Index into posts of the next card, or nullopt when there is nothing to show.
    std::optional<std::size_t> next(const std::vector<Post>& posts);
    const std::string& currentId() const { return currentId_; }

private:
    std::unordered_map<std::string, std::uint64_t> lastShown_; // id -> turn number
    std::uint64_t turn_ = 0;
    std::string currentId_;
};

} // namespace kiosk
