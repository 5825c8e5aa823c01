// One thread per source: a handful of sources per wall, each mostly asleep. See FetchWorker.h.
#include "kiosk/fetch/FetchWorker.h"

#include "kiosk/base/Log.h"

#include <algorithm>
#include <random>

namespace kiosk {

namespace {

// Passes requests through and remembers how the last failed one failed, so the worker can tell
// a dead network from a server that said no without each source reporting it.
class OutcomeTap final : public HttpClient {
public:
    explicit OutcomeTap(HttpClient& inner) : inner_(inner) {}
    HttpResponse send(const HttpRequest& request) override { return note(inner_.send(request)); }
    HttpResponse stream(const HttpRequest& request, const ChunkHandler& onChunk) override {
        return note(inner_.stream(request, onChunk));
    }
    FailureKind kind() const {
        return noAnswer_      ? FailureKind::Connectivity
               : serverError_ ? FailureKind::Server
                              : FailureKind::Other;
    }

private:
    HttpResponse note(HttpResponse r) {
        noAnswer_ = noAnswer_ || r.status == 0;
        serverError_ = serverError_ || r.status >= 500;
        return r;
    }
    HttpClient& inner_;
    bool noAnswer_ = false;
    bool serverError_ = false;
};

} // namespace

std::chrono::seconds backoffDelay(std::chrono::seconds interval, int failures, double unit,
                                  FailureKind kind) {
    if (failures <= 0) {
        return interval;
    }
    const double cap = kind == FailureKind::Other ? 15 * 60 : 60;
    const double base =
        std::min(cap, double(interval.count()) * double(1 << std::min(failures, 8)));
    // Full jitter on the upper half keeps a room of walls from retrying in lockstep.
    return std::chrono::seconds(std::int64_t(base / 2 + unit * base / 2));
}

FetchWorker::FetchWorker(std::vector<std::shared_ptr<Source>> sources, ClientFactory clients,
                         PollSettings settings, PostsCallback onPosts, Clock clock,
                         const HostPolicy* policy)
    : sources_(std::move(sources)), clients_(std::move(clients)), settings_(settings),
      onPosts_(std::move(onPosts)), clock_(std::move(clock)), policy_(policy) {
    health_.resize(sources_.size());
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        health_[i].label = sources_[i]->label();
    }
}

FetchWorker::~FetchWorker() {
    stop();
}

void FetchWorker::pollSource(std::size_t index, HttpClient& http, UnixTime started) {
    PollSettings settings = settings_;
    settings.now = started;
    settings.clock = clock_;
    const std::string stateBefore = sources_[index]->saveState();
    OutcomeTap tap(http);
    PollOutput out = sources_[index]->poll(tap, settings);
    const UnixTime now = std::max(started, clock_());
    if (onState_) {
        if (std::string state = sources_[index]->saveState(); state != stateBefore) {
            onState_(sources_[index]->label(), state);
        }
    }
    const std::size_t count = out.posts.size();
    if (!out.posts.empty()) {
        onPosts_(std::move(out.posts));
    }
    std::lock_guard lock(mutex_);
    SourceHealth& h = health_[index];
    h.lastAttempt = now;
    h.postsSeen += count;
    if (out.warning != h.warning && !out.warning.empty()) {
        logWarn("fetch", h.label + ": " + out.warning);
    }
    h.warning = out.warning;
    if (out.error.empty()) {
        h.ok = true;
        h.lastSuccess = now;
        h.lastError.clear();
        h.consecutiveFailures = 0;
    } else {
        h.ok = false;
        h.lastError = out.error;
        ++h.consecutiveFailures;
    }
    static thread_local std::mt19937 rng{std::random_device{}()};
    const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
    const auto delay =
        backoffDelay(sources_[index]->pollInterval(), h.consecutiveFailures, unit, tap.kind());
    h.nextPoll = now + delay.count();
    // A host that asked us to wait is not asked earlier, whatever the interval says.
    if (policy_) {
        for (const auto& host : sources_[index]->hosts()) {
            h.nextPoll = std::max(h.nextPoll, policy_->blockedUntil(host));
        }
    }
    if (out.error.empty()) {
        logInfo("fetch", h.label + ": " + std::to_string(count) + " posts");
    } else {
        logWarn("fetch", h.label + ": " + out.error + "; retrying in " +
                             std::to_string(h.nextPoll - now) + " s");
    }
}

void FetchWorker::pollOnce() {
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        threads.emplace_back([this, i] {
            auto http = clients_();
            pollSource(i, *http, clock_());
        });
    }
    for (auto& t : threads) {
        t.join();
    }
}

std::chrono::seconds FetchWorker::streamSource(std::size_t index, HttpClient& http, int& drops) {
    StreamSink sink;
    sink.posts = [this, index](std::vector<Post> posts) {
        {
            std::lock_guard lock(mutex_);
            health_[index].postsSeen += posts.size();
            health_[index].lastSuccess = clock_();
        }
        onPosts_(std::move(posts));
    };
    sink.deleted = [this](std::vector<std::string> ids) {
        if (onDeleted_) {
            onDeleted_(std::move(ids));
        }
    };
    sink.keepGoing = [this] {
        std::lock_guard lock(mutex_);
        return !stopping_;
    };
    {
        std::lock_guard lock(mutex_);
        health_[index].streaming = true;
    }
    PollSettings settings = settings_;
    settings.now = clock_();
    settings.clock = clock_;
    const PollOutput out = sources_[index]->stream(http, settings, sink);
    std::lock_guard lock(mutex_);
    SourceHealth& h = health_[index];
    h.streaming = false;
    if (stopping_) {
        return std::chrono::seconds(0);
    }
    // A stream that lived a while was fine; reconnect soon. One that fails at once backs off.
    const bool lived = clock_() - settings.now > 60;
    drops = lived ? 0 : drops + 1;
    h.lastError = out.error;
    logWarn("fetch", h.label + ": " + out.error);
    // Polling carries on at its own pace while the stream will not come up.
    return std::min(std::chrono::seconds(std::min(300, 5 << std::min(drops, 6))),
                    sources_[index]->pollInterval());
}

void FetchWorker::runSource(std::size_t index) {
    auto http = clients_();
    int drops = 0;
    for (;;) {
        pollSource(index, *http, clock_());
        bool streamed = false;
        std::chrono::seconds retry{0};
        if (sources_[index]->canStream() && health()[index].ok) {
            retry = streamSource(index, *http, drops);
            streamed = true;
        }
        std::unique_lock lock(mutex_);
        if (stopping_) {
            return;
        }
        const auto wait =
            streamed
                ? retry
                : std::chrono::seconds(std::max<UnixTime>(1, health_[index].nextPoll - clock_()));
        if (wake_.wait_for(lock, wait, [this] { return stopping_; })) {
            return;
        }
    }
}

UnixTime FetchWorker::runDue(UnixTime now) {
    if (syncClients_.size() != sources_.size()) {
        syncClients_.clear();
        for (std::size_t i = 0; i < sources_.size(); ++i) {
            syncClients_.push_back(clients_());
        }
    }
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        UnixTime due;
        {
            std::lock_guard lock(mutex_);
            due = health_[i].nextPoll;
        }
        if (due <= now) {
            pollSource(i, *syncClients_[i], now);
        }
    }
    std::lock_guard lock(mutex_);
    UnixTime next = 0;
    for (const auto& h : health_) {
        next = next == 0 ? h.nextPoll : std::min(next, h.nextPoll);
    }
    return next;
}

void FetchWorker::start() {
    for (std::size_t i = 0; i < sources_.size(); ++i) {
        threads_.emplace_back([this, i] { runSource(i); });
    }
}

void FetchWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) {
        t.join();
    }
    threads_.clear();
}

std::vector<SourceHealth> FetchWorker::health() const {
    std::lock_guard lock(mutex_);
    return health_;
}

} // namespace kiosk
