// Politeness per host, shared by every source's client: at most one request in flight to an API
// host (a few to a media host), a minimum spacing between requests with jitter (after a small burst
// at start, so the first posts come at once), and no request at all while the host has told us to
// wait (429, Retry-After, rate limit used up). Time and sleeping are injected so tests run on a
// controllable clock.
#pragma once

#include "kiosk/net/HttpClient.h"
#include "kiosk/net/RateLimit.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>

namespace kiosk {

class HostPolicy {
public:
    using ClockMs = std::function<std::int64_t()>; // Unix time in milliseconds
    using SleepMs = std::function<void(std::int64_t)>;

    // maxInFlight: requests to one host at the same time (1 for APIs; a few for media hosts,
    // which serve files, not rate-limited queries).
    HostPolicy(ClockMs clock, SleepMs sleep, std::int64_t spacingMs = 1000,
               std::int64_t jitterMs = 250, int maxInFlight = 1);

    // Sends through inner unless the host asked us to wait; then answers without sending.
    HttpResponse send(HttpClient& inner, const HttpRequest& request);
    // Streams do not hold the host's one-request slot (they last hours), but a host that asked
    // us to wait is not streamed from either.
    HttpResponse stream(HttpClient& inner, const HttpRequest& request,
                        const HttpClient::ChunkHandler& onChunk);
    // Requests to a new host that do not wait for the spacing (one at a time all the same).
    static constexpr int kStartBurst = 3;

    // When the host may be asked again (0 when it may be asked now).
    UnixTime blockedUntil(const std::string& host) const;

private:
    struct Host {
        std::mutex slots;
        std::condition_variable slotFree;
        int inFlight = 0;           // guarded by slots
        std::int64_t lastEndMs = 0; // guarded by slots
        int sent = 0;               // guarded by slots
        UnixTime blockedUntil = 0;  // guarded by HostPolicy::mutex_
        std::string blockedReason;  // guarded by HostPolicy::mutex_
    };
    Host& hostState(const std::string& host);

    ClockMs clock_;
    SleepMs sleep_;
    std::int64_t spacingMs_;
    std::int64_t jitterMs_;
    int maxInFlight_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Host>> hosts_; // guarded by mutex_
    std::mt19937 rng_{std::random_device{}()};           // guarded by mutex_
};

// An HttpClient that goes through a HostPolicy; what sources are handed by the fetch worker.
class PoliteHttpClient final : public HttpClient {
public:
    PoliteHttpClient(std::unique_ptr<HttpClient> inner, HostPolicy& policy)
        : inner_(std::move(inner)), policy_(policy) {}
    HttpResponse send(const HttpRequest& request) override {
        return policy_.send(*inner_, request);
    }
    HttpResponse stream(const HttpRequest& request, const ChunkHandler& onChunk) override {
        return policy_.stream(*inner_, request, onChunk);
    }

private:
    std::unique_ptr<HttpClient> inner_;
    HostPolicy& policy_;
};

// The real clock and sleep, for the running wall.
HostPolicy::ClockMs systemClockMs();
HostPolicy::SleepMs systemSleepMs();

} // namespace kiosk
