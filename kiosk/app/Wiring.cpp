// See Wiring.h.
#include "kiosk/app/Wiring.h"

#include "kiosk/net/CurlHttpClient.h"

#include <algorithm>
#include <ctime>

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

Fetching makeFetching(const Config& config, PostStore& store, const std::atomic<bool>* cancel,
                      std::function<void()> onNewPosts) {
    Fetching f;
    f.policy = std::make_unique<HostPolicy>(systemClockMs(), systemSleepMs());
    HostPolicy* policy = f.policy.get();
    const std::string ua = userAgentFor(config.network);
    f.worker = std::make_unique<FetchWorker>(
        config.sources,
        [ua, cancel, policy] {
            return std::make_unique<PoliteHttpClient>(std::make_unique<CurlHttpClient>(ua, cancel),
                                                      *policy);
        },
        pollSettingsFor(config.network),
        [&store, onNewPosts](std::vector<Post> posts) {
            if (store.add(std::move(posts)) > 0 && onNewPosts) {
                onNewPosts();
            }
        },
        [] { return UnixTime(std::time(nullptr)); }, policy);
    return f;
}

} // namespace kiosk
