// See Wiring.h.
#include "kiosk/app/Wiring.h"

#include "kiosk/admin/WallControl.h"
#include "kiosk/core/Log.h"
#include "kiosk/net/CurlHttpClient.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>

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

std::string mediaCacheDirFor(const NetworkConfig& network, const std::string& configPath) {
    if (!network.mediaCacheDir.empty()) {
        const std::filesystem::path dir(network.mediaCacheDir);
        return dir.is_absolute() ? dir.string()
                                 : (std::filesystem::path(configPath).parent_path() / dir).string();
    }
    if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache) {
        return std::string(cache) + "/kiosk/media";
    }
    if (const char* home = std::getenv("HOME"); home && *home) {
        return std::string(home) + "/.cache/kiosk/media";
    }
    return "/var/cache/kiosk/media";
}

std::string ModerationTally::summary() {
    std::lock_guard lock(mutex);
    int shown = 0, hidden = 0, queued = 0;
    std::string reasons;
    for (const auto& [key, n] : counts) {
        if (key.rfind("shown", 0) == 0) {
            shown += n;
            continue;
        }
        (key.rfind("hidden", 0) == 0 ? hidden : queued) += n;
        reasons += (reasons.empty() ? "" : "; ") + key + " (" + std::to_string(n) + ")";
    }
    return std::to_string(shown) + " shown, " + std::to_string(hidden) + " hidden, " +
           std::to_string(queued) + " waiting for approval" +
           (reasons.empty() ? "" : ": " + reasons);
}

Fetching makeFetchingWithMemory(Config& config, PostStore& store, Database* db, bool restorePosts,
                                const std::atomic<bool>* cancel, std::function<void()> onNewPosts,
                                bool withMedia) {
    Fetching f = makeFetching(config, store, cancel, std::move(onNewPosts), withMedia, db);
    if (db) {
        restoreFromDatabase(*db, config, restorePosts ? &store : nullptr, *f.moderator);
    }
    return f;
}

std::unique_ptr<Database> openDatabase(const Config& config, bool forWall) {
    if (config.storage.path.empty() && !forWall) {
        return nullptr;
    }
    const std::string path =
        config.storage.path.empty() ? defaultDatabasePath() : config.storage.path;
    auto db = Database::open(path);
    if (!db) {
        logError("store", db.error() + "; running without memory across restarts");
        return nullptr;
    }
    logInfo("store", "keeping posts and decisions in " + path);
    return std::move(db.value());
}

void restoreFromDatabase(Database& db, Config& config, PostStore* store, Moderator& moderator) {
    addOrganiserMemory(db, config);
    const UnixTime now = std::time(nullptr);
    db.retain(std::size_t(config.storage.maxPosts), UnixTime(config.storage.maxAgeHours) * 3600,
              now);
    for (const auto& [id, verdict] : db.loadDecisions()) {
        verdict == Verdict::Show ? moderator.approve(id) : moderator.hide(id);
    }
    std::vector<Post> shown;
    if (store) {
        for (auto& stored : db.loadPosts(std::size_t(config.display.maxPosts), Verdict::Show)) {
            shown.push_back(std::move(stored.post));
        }
    }
    const std::size_t count = shown.size();
    if (store) {
        store->add(std::move(shown));
    }
    for (const auto& source : config.sources) {
        if (auto state = db.sourceState(source->label())) {
            source->loadState(*state);
        }
    }
    logInfo("store", "restored " + std::to_string(count) + " posts from the last run");
}

std::unique_ptr<FetchWorker> makeFetchWorker(const Config& config, FetchTargets targets,
                                             const std::atomic<bool>* cancel) {
    PostStore& store = targets.store;
    Moderator* moderator = targets.moderator;
    ModerationTally* tally = targets.tally;
    MediaWorker* media = targets.media;
    Database* db = targets.db;
    HostPolicy* policy = targets.policy;
    std::function<void()> onNewPosts = std::move(targets.onNewPosts);
    const std::string ua = userAgentFor(config.network);
    const auto clock = [] { return UnixTime(std::time(nullptr)); };
    auto worker = std::make_unique<FetchWorker>(
        config.sources,
        [ua, cancel, policy] {
            return std::make_unique<PoliteHttpClient>(std::make_unique<CurlHttpClient>(ua, cancel),
                                                      *policy);
        },
        pollSettingsFor(config.network),
        [&store, onNewPosts, media, moderator, tally, db](std::vector<Post> fetched) {
            // Only what moderation lets through reaches the wall (and its media the cache);
            // everything is kept with its verdict for the organiser.
            std::vector<Post> posts;
            std::vector<StoredPost> decided;
            const UnixTime now = UnixTime(std::time(nullptr));
            for (auto& post : fetched) {
                const Decision d = moderator->judge(post, now); // panic applies on the wall
                if (db) {
                    decided.push_back({post, d.verdict, d.reason});
                }
                {
                    std::lock_guard lock(tally->mutex);
                    ++tally->counts[std::string(verdictName(d.verdict)) +
                                    (d.reason.empty() ? "" : ": " + d.reason)];
                }
                if (d.verdict == Verdict::Show) {
                    posts.push_back(std::move(post));
                } else {
                    logInfo("moderation", post.id + " " + verdictName(d.verdict) + ": " + d.reason);
                }
            }
            if (db) {
                db->savePosts(decided, now);
            }
            if (media) {
                std::vector<std::string> urls;
                for (const auto& p : posts) {
                    urls.push_back(p.author.avatar);
                    if (!p.media.empty()) {
                        urls.push_back(p.media.front().url);
                    }
                }
                media->enqueue(urls);
            }
            if (store.add(std::move(posts)) > 0 && onNewPosts) {
                onNewPosts();
            }
        },
        clock, policy);
    worker->onDeleted([&store, onNewPosts, db](std::vector<std::string> ids) {
        if (db) {
            db->deletePosts(ids);
        }
        if (store.remove(ids) > 0 && onNewPosts) {
            onNewPosts(); // a deleted post leaves the wall at once
        }
    });
    if (db) {
        worker->onState([db](const std::string& source, const std::string& state) {
            db->saveSourceState(source, state);
        });
    }
    return worker;
}

Fetching makeFetching(const Config& config, PostStore& store, const std::atomic<bool>* cancel,
                      std::function<void()> onNewPosts, bool withMedia, Database* db) {
    Fetching f;
    f.moderator = std::make_unique<Moderator>(config.moderation);
    f.tally = std::make_unique<ModerationTally>();
    Moderator* moderator = f.moderator.get();
    ModerationTally* tally = f.tally.get();
    f.policy = std::make_unique<HostPolicy>(systemClockMs(), systemSleepMs());
    HostPolicy* policy = f.policy.get();
    const std::string ua = userAgentFor(config.network);
    const auto clock = [] { return UnixTime(std::time(nullptr)); };
    if (withMedia) {
        MediaLimits limits;
        limits.maxCacheBytes = std::uint64_t(config.network.mediaCacheMb) * 1024 * 1024;
        f.media =
            std::make_unique<MediaCache>(mediaCacheDirFor(config.network, config.path), limits);
        // Media hosts serve files, not rate-limited queries: a few downloads at once per host
        // and no spacing, so the cards about to show get their pictures in time. Their own
        // 429s and Retry-After are still honoured.
        f.mediaPolicy =
            std::make_unique<HostPolicy>(systemClockMs(), systemSleepMs(), 0, 0, kMediaPerHost);
        HostPolicy* mediaPolicy = f.mediaPolicy.get();
        f.mediaWorker = std::make_unique<MediaWorker>(
            *f.media,
            [ua, cancel, mediaPolicy] {
                return std::make_unique<PoliteHttpClient>(
                    std::make_unique<CurlHttpClient>(ua, cancel), *mediaPolicy);
            },
            clock,
            [arrivals = f.mediaArrivals, onNewPosts](const std::string&) {
                ++*arrivals;
                if (onNewPosts) {
                    onNewPosts(); // wakes the frame loop
                }
            },
            kMediaThreads);
    }
    if (f.media && db) {
        f.media->attachIndex(*db, clock);
    }
    f.worker = makeFetchWorker(
        config, {store, moderator, tally, f.mediaWorker.get(), db, policy, std::move(onNewPosts)},
        cancel);
    return f;
}

} // namespace kiosk
