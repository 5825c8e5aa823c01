// Where fetched posts go, in this order: moderation judges each one (panic is the wall's
// business, not the fetch path's), every post is kept in the database with its verdict and
// reason for the organiser, the avatars and first pictures of those shown or waiting for
// approval are queued for download (the organiser sees them before approving), and only then do
// the shown ones reach the store the wall draws from. Deletions at the source
// leave both store and database; source positions are kept for the next start.
#pragma once

#include "kiosk/base/Time.h"
#include "kiosk/fetch/MediaDownloads.h"
#include "kiosk/media/MediaCache.h"
#include "kiosk/model/Moderation.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/store/Database.h"

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace kiosk {

class Ingest {
public:
    struct Targets {
        PostStore& store;
        Moderator& moderator;
        Database* db;       // may be null: nothing kept across runs
        MediaWorker* media; // may be null: no downloads
        std::function<UnixTime()> clock;
        std::function<void()> onNewPosts; // may be null; runs on the fetching thread
        // The database's bounds (storage.max_posts, max_age_hours), applied once an hour
        // while the wall runs, not only at start: a day-long event would otherwise grow the
        // file by every post it saw. 0: no bound.
        std::size_t keepPosts = 0;
        UnixTime keepSeconds = 0;
    };
    explicit Ingest(Targets targets) : t_(std::move(targets)) {}

    void posts(std::vector<Post> fetched);
    void deleted(const std::vector<std::string>& ids);
    void sourceState(const std::string& source, const std::string& state);
    // "3 shown, 1 hidden, 0 waiting for approval: hidden: blocked word: x (1)"
    std::string summary() const;

private:
    void tidy(UnixTime now);

    Targets t_;
    mutable std::mutex mutex_;
    std::map<std::string, int> counts_; // guarded by mutex_; "hidden: blocked word: x" -> n
    UnixTime tidiedAt_ = 0;             // guarded by mutex_
};

} // namespace kiosk
