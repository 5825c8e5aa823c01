// Polls every configured source on its own thread, so one slow or dead server never delays the
// others, with exponential backoff and jitter after failures. New posts go to a callback (the
// store); each source's health is kept for logs, `kiosk fetch` and later the admin page.
#pragma once

#include "kiosk/core/Post.h"
#include "kiosk/core/Time.h"
#include "kiosk/sources/Source.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kiosk {

struct SourceHealth {
    std::string label;
    bool ok = false; // last poll succeeded
    UnixTime lastSuccess = 0;
    UnixTime lastAttempt = 0;
    UnixTime nextPoll = 0;
    std::string lastError; // names the URL and what went wrong
    std::size_t postsSeen = 0;
    int consecutiveFailures = 0;
};

std::string describeHealth(const SourceHealth& health, UnixTime now);

// Seconds to wait after `failures` consecutive failures; `unit` in [0,1) supplies the jitter.
std::chrono::seconds backoffDelay(std::chrono::seconds interval, int failures, double unit);

class FetchWorker {
public:
    using PostsCallback = std::function<void(std::vector<Post>)>;
    using ClientFactory = std::function<std::unique_ptr<HttpClient>()>;
    using Clock = std::function<UnixTime()>;

    FetchWorker(std::vector<std::shared_ptr<Source>> sources, ClientFactory clients,
                PollSettings settings, PostsCallback onPosts, Clock clock);
    ~FetchWorker();
    FetchWorker(const FetchWorker&) = delete;
    FetchWorker& operator=(const FetchWorker&) = delete;

    // Polls each source once, in parallel, and returns when all have answered.
    void pollOnce();
    void start();
    void stop();
    std::vector<SourceHealth> health() const;

private:
    void pollSource(std::size_t index, HttpClient& http);
    void runSource(std::size_t index);

    std::vector<std::shared_ptr<Source>> sources_;
    ClientFactory clients_;
    PollSettings settings_;
    PostsCallback onPosts_;
    Clock clock_;

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;            // guarded by mutex_
    std::vector<SourceHealth> health_; // guarded by mutex_
    std::vector<std::thread> threads_;
};

} // namespace kiosk
