// Dedup by id, newest first, bounded; the snapshot is rebuilt on change (a few hundred posts).
#include "kiosk/model/PostStore.h"

#include <algorithm>

namespace kiosk {

PostStore::PostStore(std::size_t maxPosts)
    : maxPosts_(maxPosts), snapshot_(std::make_shared<const std::vector<Post>>()) {}

std::size_t PostStore::add(std::vector<Post> posts) {
    if (posts.empty()) {
        return 0;
    }
    std::lock_guard lock(mutex_);
    std::size_t added = 0;
    for (auto& post : posts) {
        auto [it, inserted] = byId_.try_emplace(post.id);
        added += inserted;
        // A dateless item keeps the time we first saw it, or every poll would make it new.
        if (!inserted && post.timeGuessed) {
            post.createdAt = it->second.createdAt;
        }
        it->second = std::move(post);
    }
    publishLocked();
    return added;
}

std::size_t PostStore::remove(const std::vector<std::string>& ids) {
    std::lock_guard lock(mutex_);
    std::size_t removed = 0;
    for (const auto& id : ids) {
        removed += byId_.erase(id);
    }
    if (removed > 0) {
        publishLocked();
    }
    return removed;
}

void PostStore::publishLocked() {
    std::vector<Post> all;
    all.reserve(byId_.size());
    for (const auto& [id, post] : byId_) {
        all.push_back(post);
    }
    std::sort(all.begin(), all.end(), [](const Post& a, const Post& b) {
        return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id < b.id;
    });
    if (all.size() > maxPosts_) {
        // The oldest posts make room; the organiser's announcements never do.
        std::vector<Post> kept;
        kept.reserve(maxPosts_);
        for (auto& p : all) {
            if (kept.size() < maxPosts_ || p.source == "announcement") {
                kept.push_back(std::move(p));
            } else {
                byId_.erase(p.id);
            }
        }
        all = std::move(kept);
    }
    snapshot_ = std::make_shared<const std::vector<Post>>(std::move(all));
    ++version_;
}

PostSnapshot PostStore::snapshot() const {
    std::lock_guard lock(mutex_);
    return snapshot_;
}

} // namespace kiosk
