// The running wall's side of the organiser's control page: fetch threads that can be restarted
// with new sources, and the page itself (command queue, controls, login, HTTP listener) wired to
// the wall's store, database and moderator.
#pragma once

#include "kiosk/admin/AdminApi.h"
#include "kiosk/admin/AdminServer.h"
#include "kiosk/admin/WallControl.h"
#include "kiosk/app/Wiring.h"
#include "kiosk/core/CommandQueue.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace kiosk {

// The wall's fetch threads. Each generation of them has its own cancel flag, so replacing the
// sources aborts the old transfers at once instead of waiting out a slow server.
class LiveFetch {
public:
    LiveFetch(const Config& config, Fetching& fetching, PostStore& store, Database* db,
              std::function<void()> onNewPosts);
    ~LiveFetch();

    void start();
    std::vector<SourceHealth> health() const;
    void restart(const Config& config);
    void stop();

private:
    FetchTargets targets() const;

    Fetching& fetching_;
    PostStore& store_;
    Database* db_;
    std::function<void()> onNewPosts_;
    mutable std::mutex mutex_;
    std::unique_ptr<FetchWorker> worker_;                    // guarded by mutex_
    std::vector<std::unique_ptr<std::atomic<bool>>> cancel_; // guarded by mutex_; last is live
};

// Where the page's HTML, CSS and script are: $KIOSK_ADMIN_ASSETS, the installed share folder,
// or the source tree.
std::string adminAssetsDir();

class ControlPage {
public:
    ControlPage(const Config& config, ControlDeps deps);
    ~ControlPage();

    // Starts listening as configured; false (logged) when it cannot. The wall runs on either way.
    bool start();

private:
    AdminConfig settings_;
    WallControl control_; // outlives the queue that runs commands on it
    CommandQueue queue_;
    AdminAuth auth_;
    AdminApi api_;
    AdminServer server_;
};

} // namespace kiosk
