// Connects config, store and network the same way for every command that fetches (fetch,
// shot and the wall): curl clients behind one shared host policy, posts into the store.
#pragma once

#include "kiosk/core/Config.h"
#include "kiosk/core/PostStore.h"
#include "kiosk/net/FetchWorker.h"
#include "kiosk/net/HostPolicy.h"

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace kiosk {

std::string userAgentFor(const NetworkConfig& network);
PollSettings pollSettingsFor(const NetworkConfig& network);

struct Fetching {
    std::unique_ptr<HostPolicy> policy; // outlives the worker that uses it
    std::unique_ptr<FetchWorker> worker;
};

// onNewPosts runs (on a fetch thread) after posts that the store did not have were added.
// cancel, when set to true, aborts transfers in flight (quitting the wall).
Fetching makeFetching(const Config& config, PostStore& store, const std::atomic<bool>* cancel,
                      std::function<void()> onNewPosts);

} // namespace kiosk
