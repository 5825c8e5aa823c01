// In-memory store of the posts the wall can show, shared between the fetch threads (writers)
// and the render thread (reader). Readers get an immutable snapshot, so the render thread
// never waits on a writer for longer than a pointer copy. What lasts across restarts is in
// Database; the wall fills this store from it at start.
#pragma once

#include "kiosk/model/Post.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace kiosk {

using PostSnapshot = std::shared_ptr<const std::vector<Post>>; // newest first

class PostStore {
public:
    explicit PostStore(std::size_t maxPosts = 500);

    // Adds new posts and replaces edited ones (same id); returns how many were new.
    std::size_t add(std::vector<Post> posts);
    // Removes posts deleted at their source; returns how many were here.
    std::size_t remove(const std::vector<std::string>& ids);
    PostSnapshot snapshot() const;
    // Bumped by every add that changed something; cheap to poll from the frame loop.
    std::uint64_t version() const { return version_.load(); }

private:
    void publishLocked(); // rebuilds the snapshot from byId_

    std::size_t maxPosts_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Post> byId_; // guarded by mutex_
    PostSnapshot snapshot_;                      // guarded by mutex_
    std::atomic<std::uint64_t> version_{0};
};

} // namespace kiosk
