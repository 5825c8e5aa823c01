// See Ingest.h.
#include "kiosk/fetch/Ingest.h"

#include "kiosk/base/Log.h"

namespace kiosk {

void Ingest::posts(std::vector<Post> fetched) {
    std::vector<Post> shown;
    std::vector<StoredPost> decided;
    std::vector<std::string> urls; // shown, and waiting: the organiser sees what would show
    const UnixTime now = t_.clock();
    for (auto& post : fetched) {
        const Decision d = t_.moderator.judge(post, now);
        const std::string why = d.reason.empty() ? "" : ": " + describe(d.reason);
        {
            std::lock_guard lock(mutex_);
            ++counts_[verdictName(d.verdict) + why];
        }
        if (d.verdict != Verdict::Show) {
            logInfo("moderation", post.id + " " + verdictName(d.verdict) + why);
        }
        if (t_.db) {
            decided.push_back({post, d.verdict, d.reason});
        }
        if (d.verdict != Verdict::Hide) {
            urls.push_back(post.author.avatar);
            if (!post.media.empty()) {
                urls.push_back(post.media.front().url);
            }
        }
        if (d.verdict == Verdict::Show) {
            shown.push_back(std::move(post));
        }
    }
    if (t_.db) {
        t_.db->savePosts(decided, now);
        tidy(now);
    }
    if (t_.media) {
        t_.media->enqueue(urls);
    }
    if (t_.store.add(std::move(shown)) > 0 && t_.onNewPosts) {
        t_.onNewPosts();
    }
}

void Ingest::tidy(UnixTime now) {
    if (t_.keepPosts == 0 && t_.keepSeconds == 0) {
        return;
    }
    {
        std::lock_guard lock(mutex_);
        if (tidiedAt_ == 0) {
            tidiedAt_ = now; // the wall tidied at start
        }
        if (now - tidiedAt_ < 3600) {
            return;
        }
        tidiedAt_ = now;
    }
    const std::size_t removed =
        t_.db->retain(t_.keepPosts > 0 ? t_.keepPosts : std::size_t(1) << 40,
                      t_.keepSeconds > 0 ? t_.keepSeconds : now, now);
    if (removed > 0) {
        logInfo("store", "let go of " + std::to_string(removed) +
                             " old posts (storage.max_posts and max_age_hours)");
    }
}

void Ingest::deleted(const std::vector<std::string>& ids) {
    if (t_.db) {
        t_.db->deletePosts(ids);
    }
    if (t_.store.remove(ids) > 0 && t_.onNewPosts) {
        t_.onNewPosts(); // a deleted post leaves the wall at once
    }
}

void Ingest::sourceState(const std::string& source, const std::string& state) {
    if (t_.db) {
        t_.db->saveSourceState(source, state);
    }
}

std::string Ingest::summary() const {
    std::lock_guard lock(mutex_);
    int shown = 0, hidden = 0, queued = 0;
    std::string reasons;
    for (const auto& [key, n] : counts_) {
        if (key.rfind("shown", 0) == 0) {
            shown += n;
            continue;
        }
        (key.rfind("hidden", 0) == 0 ? hidden : queued) += n;
        reasons += (reasons.empty() ? "" : "; ") + key + " (" + std::to_string(n) + ")";
    }
    return std::to_string(shown) + " shown, " + std::to_string(hidden) + " hidden, " +
           std::to_string(queued) + " waiting for approval" +
           (reasons.empty() ? "" : ": " + reasons);
}

} // namespace kiosk
