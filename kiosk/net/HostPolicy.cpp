// See HostPolicy.h.
#include "kiosk/net/HostPolicy.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"

#include <algorithm>
#include <thread>

namespace kiosk {

HostPolicy::HostPolicy(ClockMs clock, SleepMs sleep, std::int64_t spacingMs, std::int64_t jitterMs,
                       int maxInFlight)
    : clock_(std::move(clock)), sleep_(std::move(sleep)), spacingMs_(spacingMs),
      jitterMs_(jitterMs), maxInFlight_(std::max(1, maxInFlight)) {}

HostPolicy::Host& HostPolicy::hostState(const std::string& host) {
    std::lock_guard lock(mutex_);
    auto& slot = hosts_[host];
    if (!slot) {
        slot = std::make_unique<Host>();
    }
    return *slot;
}

UnixTime HostPolicy::blockedUntil(const std::string& host) const {
    std::lock_guard lock(mutex_);
    auto it = hosts_.find(host);
    return it == hosts_.end() ? 0 : it->second->blockedUntil;
}

HttpResponse HostPolicy::send(HttpClient& inner, const HttpRequest& request) {
    const std::string host = hostOf(request.url);
    if (host.empty()) {
        return inner.send(request); // file: URLs have no server to be polite to
    }
    Host& state = hostState(host);
    std::int64_t lastEndMs = 0;
    int sent = 0;
    {
        std::unique_lock slot(state.slots);
        state.slotFree.wait(slot, [&] { return state.inFlight < maxInFlight_; });
        ++state.inFlight;
        lastEndMs = state.lastEndMs;
        sent = state.sent++;
    }
    // Gives the slot back however this request ends.
    struct Release {
        Host& host;
        const ClockMs& clock;
        ~Release() {
            {
                std::lock_guard slot(host.slots);
                --host.inFlight;
                host.lastEndMs = clock();
            }
            host.slotFree.notify_one();
        }
    } release{state, clock_};
    {
        std::lock_guard lock(mutex_);
        const UnixTime now = clock_() / 1000;
        if (state.blockedUntil > now) {
            HttpResponse r;
            r.error = "not asking " + host + " before " + formatIsoTime(state.blockedUntil) + " (" +
                      state.blockedReason + ")";
            return r;
        }
    }
    std::int64_t jitter = 0;
    {
        std::lock_guard lock(mutex_);
        jitter = std::uniform_int_distribution<std::int64_t>(
            0, std::max<std::int64_t>(0, jitterMs_))(rng_);
    }
    // The first few requests to a host go at once: at start a source asks for a server's
    // settings and then its timeline, and the first post must not wait out the spacing.
    if (lastEndMs > 0 && sent >= kStartBurst && spacingMs_ > 0) {
        const std::int64_t wait = lastEndMs + spacingMs_ + jitter - clock_();
        if (wait > 0) {
            sleep_(wait);
        }
    }
    HttpResponse response = inner.send(request);
    if (auto throttle = throttleFrom(response, clock_() / 1000)) {
        std::lock_guard lock(mutex_);
        state.blockedUntil = throttle->until;
        state.blockedReason = throttle->reason;
        logWarn("fetch", host + " asked us to wait until " + formatIsoTime(throttle->until) + " (" +
                             throttle->reason + ")");
    }
    return response;
}

HttpResponse HostPolicy::stream(HttpClient& inner, const HttpRequest& request,
                                const HttpClient::ChunkHandler& onChunk) {
    const std::string host = hostOf(request.url);
    const UnixTime until = blockedUntil(host);
    if (until > clock_() / 1000) {
        HttpResponse r;
        r.error = "not asking " + host + " before " + formatIsoTime(until);
        return r;
    }
    HttpResponse response = inner.stream(request, onChunk);
    if (auto throttle = throttleFrom(response, clock_() / 1000)) {
        std::lock_guard lock(mutex_);
        Host& state = *hosts_.try_emplace(host, std::make_unique<Host>()).first->second;
        state.blockedUntil = throttle->until;
        state.blockedReason = throttle->reason;
    }
    return response;
}

HostPolicy::ClockMs systemClockMs() {
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    };
}

HostPolicy::SleepMs systemSleepMs() {
    return [](std::int64_t ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
}

} // namespace kiosk
