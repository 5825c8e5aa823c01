// Polls every configured source on its own thread, so one slow or dead server never delays the
// others, with exponential backoff and jitter after failures. New posts go to a callback
// (Ingest, on the wall); each source's health is kept for logs, `kiosk fetch` and the control
// page.
#pragma once

#include "kiosk/base/Time.h"
#include "kiosk/model/Post.h"
#include "kiosk/net/HostPolicy.h"
#include "kiosk/sources/Source.h"
#include "kiosk/sources/SourceHealth.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace kiosk {

// Why a poll failed, as far as the wait before the next one is concerned.
enum class FailureKind {
    Connectivity, // no answer at all: refused, reset, timed out, no DNS (the venue's Wi-Fi)
    Server,       // the server answered 5xx without naming a time to come back
    Other,        // the server answered and means it: 401, 404, a body that does not parse
};

// Seconds to wait after `failures` consecutive failures; `unit` in [0,1) supplies the jitter.
// An outage of the network or the server is not a request to go away: those waits stop
// growing at 60 s, so a source is polled within a minute of coming back, however long it was
// gone. Other failures grow to 15 minutes. A time the server named (429, 503 with Retry-After
// or X-RateLimit-Reset) is HostPolicy's and is honoured on top of this.
std::chrono::seconds backoffDelay(std::chrono::seconds interval, int failures, double unit,
                                  FailureKind kind = FailureKind::Other);

class FetchWorker {
public:
    using PostsCallback = std::function<void(std::vector<Post>)>;
    using DeletedCallback = std::function<void(std::vector<std::string>)>;
    using ClientFactory = std::function<std::unique_ptr<HttpClient>()>;
    using Clock = std::function<UnixTime()>;

    // policy, when given, is the one the clients go through; its rate-limit waits push the
    // next poll of a source back.
    FetchWorker(std::vector<std::shared_ptr<Source>> sources, ClientFactory clients,
                PollSettings settings, PostsCallback onPosts, Clock clock,
                const HostPolicy* policy = nullptr);
    ~FetchWorker();
    FetchWorker(const FetchWorker&) = delete;
    FetchWorker& operator=(const FetchWorker&) = delete;

    // Polls each source once, in parallel, and returns when all have answered.
    void pollOnce();
    // Polls, on this thread and in order, every source due at now; returns the next time any
    // source is due. With a controllable clock this replays a day of polling deterministically.
    UnixTime runDue(UnixTime now);
    void start();
    void stop();
    std::vector<SourceHealth> health() const;
    // Posts deleted at their source (streaming sources report deletions).
    void onDeleted(DeletedCallback callback) { onDeleted_ = std::move(callback); }
    // A source's state changed after a poll (label, state): keep it for the next start.
    using StateCallback = std::function<void(const std::string&, const std::string&)>;
    void onState(StateCallback callback) { onState_ = std::move(callback); }

private:
    void pollSource(std::size_t index, HttpClient& http, UnixTime now);
    void runSource(std::size_t index);
    // Streams until the connection drops or stop(); returns how long to wait before retrying.
    std::chrono::seconds streamSource(std::size_t index, HttpClient& http, int& drops);

    std::vector<std::shared_ptr<Source>> sources_;
    ClientFactory clients_;
    PollSettings settings_;
    PostsCallback onPosts_;
    DeletedCallback onDeleted_;
    StateCallback onState_;
    Clock clock_;
    const HostPolicy* policy_;
    std::vector<std::unique_ptr<HttpClient>> syncClients_; // runDue's clients, one per source

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;            // guarded by mutex_
    std::vector<SourceHealth> health_; // guarded by mutex_
    std::vector<std::thread> threads_;
};

} // namespace kiosk
