// Everything a command builds from a config before it draws or prints, made one way for the
// shot, `kiosk fetch` and the wall: the database and what it remembers, the store, moderation,
// the media cache and its downloads, the ingest pipeline, the fetch threads, the LiveWall the
// frame loop reads, and the control page. Members are declared in dependency order, so they
// are destroyed in reverse: the page stops taking commands first, then fetching, then media.
#pragma once

#include "kiosk/app/ControlPage.h"
#include "kiosk/config/Config.h"
#include "kiosk/config/LiveWall.h"
#include "kiosk/fetch/Ingest.h"
#include "kiosk/fetch/LiveFetch.h"
#include "kiosk/fetch/MediaDownloads.h"
#include "kiosk/group/Group.h"
#include "kiosk/group/GroupLink.h"
#include "kiosk/media/MediaCache.h"
#include "kiosk/model/Moderation.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/net/HostPolicy.h"
#include "kiosk/store/Database.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kiosk {

enum class WallPurpose {
    Shot,    // stored posts restored, media from the cache only, no threads, no page
    Fetch,   // only what this poll brings: nothing restored, no media, no page
    Display, // the wall: the default database, media as configured, the control page, and
             // its wall group when the config names one
};

struct WallOptions {
    WallPurpose purpose = WallPurpose::Display;
    std::function<UnixTime()> clock; // empty: the system's
    // How the fetch threads reach the network; empty: libcurl behind the host policy. Tests
    // answer from loopback mocks or refuse.
    ClientMaker clients;
    // New posts, arrived media, the organiser's changes: wakes the frame loop. May be empty.
    std::function<void()> onChange;
};

// The media cache folder; a relative media_cache_dir is relative to the config file.
std::string mediaCacheDirFor(const NetworkConfig& network, const std::string& configPath);

// Downloads of avatars and pictures at once, and of those to one host.
constexpr int kMediaThreads = 4;
constexpr int kMediaPerHost = 3;

class Wall {
public:
    Wall(Config config, WallOptions options);
    ~Wall();
    Wall(const Wall&) = delete;
    Wall& operator=(const Wall&) = delete;

    // Starts the fetch and media threads and, when enabled, the control page.
    void start();

    const Config& config() const { return config_; }
    PostStore& store() { return store_; }
    Moderator& moderator() { return moderator_; }
    Database* database() { return db_.get(); }
    Ingest& ingest() { return *ingest_; }
    LiveFetch& fetch() { return *fetch_; }
    LiveWall& live() { return *live_; }
    ControlPage* page() { return page_.get(); }
    Group* group() { return group_.get(); }

    // A decoded file for an avatar or picture URL when the cache has one.
    std::optional<std::string> findMedia(const std::string& url) const;
    // How many avatars and pictures have arrived (grows as they do).
    std::uint64_t mediaArrivals() const { return arrivals_.load(); }
    // The cards about to show: their pictures are downloaded first.
    void wantMedia(const std::vector<std::string>& urls);
    // What is on screen now, for the other screens of a group (and the sources' health).
    void showing(const std::vector<std::string>& ids);
    // What the other screens of the group show now (empty when alone), and its version.
    std::set<std::string> shownElsewhere() const;
    // This screen and the group's others online (empty when alone).
    std::vector<std::string> groupScreens() const;
    std::uint64_t elsewhereVersion() const;

private:
    void restore(bool withPosts);
    void joinGroup();
    // The organiser changed the sources: fetch them (in a group, the ones this screen owns).
    void restartFetch(const Config& next);
    void fetchOwned();

    Config config_; // as loaded plus what the database remembers
    WallOptions options_;
    std::function<UnixTime()> clock_;
    std::atomic<bool> quitting_{false}; // aborts the media downloads in flight
    std::atomic<std::uint64_t> arrivals_{0};
    std::unique_ptr<Database> db_; // for the wall never null: ":memory:" when the file fails
    PostStore store_;
    Moderator moderator_;
    HostPolicy policy_;
    std::unique_ptr<HostPolicy> mediaPolicy_;
    std::unique_ptr<MediaCache> media_;
    std::unique_ptr<MediaWorker> mediaWorker_; // null unless downloads are on
    std::unique_ptr<Ingest> ingest_;
    std::unique_ptr<LiveFetch> fetch_;
    std::unique_ptr<LiveWall> live_;
    std::mutex sourcesMutex_;
    Config latest_; // guarded by sourcesMutex_; the sources as the organiser last set them
    std::unique_ptr<GroupLink> link_; // null unless the config names a group
    std::unique_ptr<Group> group_;
    std::unique_ptr<ControlPage> page_; // for the wall always; it listens only when enabled
};

} // namespace kiosk
