// Connects config, store and network the same way for every command that fetches (fetch,
// shot and the wall): curl clients behind one shared host policy, posts into the store.
#pragma once

#include "kiosk/config/Config.h"
#include "kiosk/core/PostStore.h"
#include "kiosk/fetch/FetchWorker.h"
#include "kiosk/net/HostPolicy.h"
#include "kiosk/net/MediaCache.h"

#include "kiosk/core/Database.h"
#include "kiosk/core/Moderation.h"

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kiosk {

std::string userAgentFor(const NetworkConfig& network);
PollSettings pollSettingsFor(const NetworkConfig& network);

// Counts of what moderation decided, for `kiosk fetch` and the logs.
struct ModerationTally {
    std::mutex mutex;
    std::map<std::string, int> counts; // guarded by mutex; "hidden: blocked word: x" -> n
    std::string summary();
};

// Downloads of avatars and pictures at once, and of those to one host.
constexpr int kMediaThreads = 4;
constexpr int kMediaPerHost = 3;

struct Fetching {
    std::unique_ptr<HostPolicy> policy;      // outlives the workers that use it
    std::unique_ptr<HostPolicy> mediaPolicy; // the same, for media hosts
    std::unique_ptr<Moderator> moderator;
    std::unique_ptr<ModerationTally> tally;
    std::unique_ptr<FetchWorker> worker;
    std::unique_ptr<MediaCache> media;        // only with media downloads on
    std::unique_ptr<MediaWorker> mediaWorker; // fills media from the posts that arrive
    // Counts avatars and pictures downloaded, so the wall prepares waiting cards again.
    std::shared_ptr<std::atomic<std::uint64_t>> mediaArrivals =
        std::make_shared<std::atomic<std::uint64_t>>(0);
};

// The database the wall keeps its memory in: the configured path, or for the wall (whenever
// `forWall`) the XDG default. Null when none is wanted or it cannot be opened (logged).
std::unique_ptr<Database> openDatabase(const Config& config, bool forWall);
// What a restart brings back before any fetch: shown posts, the organiser's decisions, and
// where each source stopped.
// store may be null: then only decisions and source positions come back. Pins and
// announcements the organiser made are added to config's own.
void restoreFromDatabase(Database& db, Config& config, PostStore* store, Moderator& moderator);

// Where fetched posts go: moderated, kept in the database, their media queued, then the store.
struct FetchTargets {
    PostStore& store;
    Moderator* moderator;
    ModerationTally* tally;
    MediaWorker* media; // may be null
    Database* db;       // may be null
    HostPolicy* policy;
    std::function<void()> onNewPosts;
};
// The fetch threads for config's sources; cancel aborts their transfers in flight.
std::unique_ptr<FetchWorker> makeFetchWorker(const Config& config, FetchTargets targets,
                                             const std::atomic<bool>* cancel);

// onNewPosts runs (on a fetch thread) after posts that the store did not have were added.
// cancel, when set to true, aborts transfers in flight (quitting the wall). With withMedia,
// avatars and the first picture of every post are downloaded into the media cache.
Fetching makeFetching(const Config& config, PostStore& store, const std::atomic<bool>* cancel,
                      std::function<void()> onNewPosts, bool withMedia = false,
                      Database* db = nullptr);
// The media cache folder; a relative media_cache_dir is relative to the config file.
// makeFetching plus what the database remembers: decisions, source positions and (with
// restorePosts) the posts, so a command or the wall starts where the last run stopped.
Fetching makeFetchingWithMemory(Config& config, PostStore& store, Database* db, bool restorePosts,
                                const std::atomic<bool>* cancel = nullptr,
                                std::function<void()> onNewPosts = nullptr, bool withMedia = false);
std::string mediaCacheDirFor(const NetworkConfig& network, const std::string& configPath);

} // namespace kiosk
