// See LiveFetch.h.
#include "kiosk/fetch/LiveFetch.h"

#include "kiosk/base/Log.h"
#include "kiosk/net/CurlHttpClient.h"

#include <algorithm>

namespace kiosk {

std::string userAgentFor(const NetworkConfig& network) {
    std::string ua = "kiosk-social-wall/" KIOSK_VERSION;
    if (!network.contact.empty()) {
        ua += " (+" + network.contact + ")";
    }
    return ua;
}

PollSettings pollSettingsFor(const NetworkConfig& network) {
    PollSettings s;
    s.totalTimeout = std::chrono::seconds(network.timeoutSeconds);
    s.connectTimeout = std::chrono::seconds(std::min(10, network.timeoutSeconds));
    s.maxResponseBytes = std::size_t(network.maxResponseKb) * 1024;
    return s;
}

ClientMaker politeCurlClients(const NetworkConfig& network, HostPolicy& policy) {
    return [ua = userAgentFor(network), &policy](const std::atomic<bool>* cancel) {
        return std::make_unique<PoliteHttpClient>(std::make_unique<CurlHttpClient>(ua, cancel),
                                                  policy);
    };
}

LiveFetch::LiveFetch(const Config& config, Ingest& ingest, const HostPolicy& policy,
                     ClientMaker clients, FetchWorker::Clock clock, Database* db)
    : ingest_(ingest), policy_(policy), clients_(std::move(clients)), clock_(std::move(clock)),
      sources_(db) {
    cancel_.push_back(std::make_unique<std::atomic<bool>>(false));
    worker_ = build(config, cancel_.back().get());
}

LiveFetch::~LiveFetch() {
    stop();
}

std::unique_ptr<FetchWorker> LiveFetch::build(const Config& config,
                                              const std::atomic<bool>* cancel) {
    auto worker = std::make_unique<FetchWorker>(
        sources_.update(config.sources), [this, cancel] { return clients_(cancel); },
        pollSettingsFor(config.network),
        [this](std::vector<Post> posts) {
            if (taps_.posts) {
                taps_.posts(posts);
            }
            ingest_.posts(std::move(posts));
        },
        clock_, &policy_);
    worker->onDeleted([this](std::vector<std::string> ids) {
        if (taps_.deleted) {
            taps_.deleted(ids);
        }
        ingest_.deleted(ids);
    });
    worker->onState([this](const std::string& source, const std::string& state) {
        if (taps_.state) {
            taps_.state(source, state);
        }
        ingest_.sourceState(source, state);
    });
    return worker;
}

void LiveFetch::start() {
    std::lock_guard lock(mutex_);
    if (worker_) {
        worker_->start();
    }
}

void LiveFetch::pollOnce() {
    std::lock_guard lock(mutex_);
    if (worker_) {
        worker_->pollOnce();
    }
}

std::vector<SourceHealth> LiveFetch::health() const {
    std::lock_guard lock(mutex_);
    return worker_ ? worker_->health() : std::vector<SourceHealth>{};
}

void LiveFetch::restart(const Config& config) {
    std::lock_guard one(restarting_); // the page and the group may both restart at once
    std::unique_ptr<FetchWorker> old;
    {
        std::lock_guard lock(mutex_);
        cancel_.back()->store(true); // the old generation's transfers end now
        old = std::move(worker_);
    }
    if (old) {
        old->stop(); // outside the lock: the frame loop keeps reading health meanwhile
    }
    auto flag = std::make_unique<std::atomic<bool>>(false);
    auto fresh = build(config, flag.get());
    fresh->start();
    {
        std::lock_guard lock(mutex_);
        cancel_.push_back(std::move(flag));
        worker_ = std::move(fresh);
    }
    logInfo("fetch", "restarted with " + std::to_string(config.sources.size()) + " sources");
}

void LiveFetch::stop() {
    std::unique_ptr<FetchWorker> old;
    {
        std::lock_guard lock(mutex_);
        cancel_.back()->store(true);
        old = std::move(worker_);
    }
    if (old) {
        old->stop();
    }
}

} // namespace kiosk
