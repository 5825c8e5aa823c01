// The running wall's fetch threads, built from a config and restartable with new sources (the
// control page's changes). Each generation of threads has its own cancel flag, so replacing the
// sources aborts the old transfers at once instead of waiting out a slow server. Every
// generation hands its posts to the same Ingest and goes through the same HostPolicy.
#pragma once

#include "kiosk/config/Config.h"
#include "kiosk/fetch/FetchWorker.h"
#include "kiosk/fetch/Ingest.h"
#include "kiosk/fetch/SourceSet.h"
#include "kiosk/net/HostPolicy.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace kiosk {

std::string userAgentFor(const NetworkConfig& network);
PollSettings pollSettingsFor(const NetworkConfig& network);

// Makes one HTTP client for a fetch thread; cancel, once true, aborts its transfers.
using ClientMaker = std::function<std::unique_ptr<HttpClient>(const std::atomic<bool>* cancel)>;
// libcurl behind the host policy, with the configured user agent: what the wall uses.
ClientMaker politeCurlClients(const NetworkConfig& network, HostPolicy& policy);

// What a wall group wants to hear of this screen's own fetching (all may be empty).
struct FetchTaps {
    std::function<void(const std::vector<Post>&)> posts;          // as fetched, before moderation
    std::function<void(const std::vector<std::string>&)> deleted; // at the source
    std::function<void(const std::string&, const std::string&)> state; // label, saved position
};

class LiveFetch {
public:
    // db, when given, holds where each source stopped: a source made here resumes from there.
    LiveFetch(const Config& config, Ingest& ingest, const HostPolicy& policy, ClientMaker clients,
              FetchWorker::Clock clock, Database* db = nullptr);
    ~LiveFetch();
    LiveFetch(const LiveFetch&) = delete;
    LiveFetch& operator=(const LiveFetch&) = delete;

    // Set before start(): every generation of threads reports to them.
    void tap(FetchTaps taps) { taps_ = std::move(taps); }
    void start();
    // Each source once, in parallel, on the calling thread's watch (shot, `kiosk fetch`).
    void pollOnce();
    std::vector<SourceHealth> health() const;
    // Replaces the sources: the old generation's transfers are cancelled and its threads stopped
    // before the new one starts (a source whose spec is unchanged is the same object).
    void restart(const Config& config);
    void stop();

private:
    std::unique_ptr<FetchWorker> build(const Config& config, const std::atomic<bool>* cancel);

    Ingest& ingest_;
    const HostPolicy& policy_;
    ClientMaker clients_;
    FetchWorker::Clock clock_;
    FetchTaps taps_;
    std::mutex restarting_;
    SourceSet sources_; // used under restarting_ (and in the constructor)
    mutable std::mutex mutex_;
    std::unique_ptr<FetchWorker> worker_;                    // guarded by mutex_
    std::vector<std::unique_ptr<std::atomic<bool>>> cancel_; // guarded by mutex_; last is live
};

} // namespace kiosk
