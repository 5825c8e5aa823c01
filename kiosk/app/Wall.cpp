// See Wall.h.
#include "kiosk/app/Wall.h"
#include "kiosk/fetch/SourceTrial.h"

#include "kiosk/admin/WallControl.h"
#include "kiosk/base/Log.h"
#include "kiosk/base/UserDirs.h"
#include "kiosk/group/MosquittoLink.h"

#include <chrono>

#include <ctime>
#include <filesystem>

namespace kiosk {

std::string mediaCacheDirFor(const NetworkConfig& network, const std::string& configPath) {
    if (network.mediaCacheDir.empty()) {
        return userDir(UserDir::Cache) + "/media";
    }
    const std::filesystem::path dir(network.mediaCacheDir);
    return dir.is_absolute() ? dir.string()
                             : (std::filesystem::path(configPath).parent_path() / dir).string();
}

namespace {

// The configured database; the wall itself also uses the default one, and when that cannot be
// opened this run's memory (the control page still needs somewhere to keep the queue).
std::unique_ptr<Database> openDatabase(const Config& config, WallPurpose purpose) {
    const bool forWall = purpose == WallPurpose::Display;
    if (config.storage.path.empty() && !forWall) {
        return nullptr;
    }
    const std::string path =
        config.storage.path.empty() ? defaultDatabasePath() : config.storage.path;
    auto db = Database::open(path);
    if (db) {
        logInfo("store", "keeping posts and decisions in " + path);
        return std::move(db.value());
    }
    if (forWall && path != ":memory:" && db.error().find(Database::kDamaged) != std::string::npos) {
        // A damaged file (a power cut on a bad SD card, garbage) would fail every start: it is
        // kept beside, untouched, and the wall remembers again from now on.
        const std::string aside = path + ".damaged-" + std::to_string(std::time(nullptr));
        std::error_code ec;
        std::filesystem::rename(path, aside, ec);
        for (const char* suffix : {"-wal", "-shm"}) {
            std::error_code ignored;
            std::filesystem::rename(path + suffix, aside + suffix, ignored);
        }
        if (!ec) {
            if (auto fresh = Database::open(path)) {
                const std::string saved = fresh.value()->salvageFrom(aside);
                logError("store", db.error() + "; the damaged file is kept as " + aside +
                                      (saved.empty() ? " (nothing in it could be read)"
                                                     : " (read back from it: " + saved + ")") +
                                      "; a fresh database keeps posts and decisions from now on");
                return std::move(fresh.value());
            }
        }
    }
    logError("store", db.error() + "; running without memory across restarts");
    return forWall ? std::move(Database::open(":memory:").value()) : nullptr;
}

} // namespace

Wall::Wall(Config config, WallOptions options)
    : config_(std::move(config)), options_(std::move(options)),
      clock_(options_.clock ? options_.clock : [] { return UnixTime(std::time(nullptr)); }),
      db_(openDatabase(config_, options_.purpose)), store_(std::size_t(config_.display.maxPosts)),
      moderator_(config_.moderation), policy_(systemClockMs(), systemSleepMs()) {
    const WallPurpose purpose = options_.purpose;
    const auto changed = [this] {
        if (options_.onChange) {
            options_.onChange();
        }
    };
    const std::string mediaDir = mediaCacheDirFor(config_.network, config_.path);
    if (purpose == WallPurpose::Display && config_.network.downloadMedia) {
        MediaLimits limits;
        limits.maxCacheBytes = std::uint64_t(config_.network.mediaCacheMb) * 1024 * 1024;
        media_ = std::make_unique<MediaCache>(mediaDir, limits);
        // Media hosts serve files, not rate-limited queries: a few downloads at once per host
        // and no spacing, so the cards about to show get their pictures in time. Their own
        // 429s and Retry-After are still honoured.
        mediaPolicy_ =
            std::make_unique<HostPolicy>(systemClockMs(), systemSleepMs(), 0, 0, kMediaPerHost);
        ClientMaker clients =
            options_.clients ? options_.clients : politeCurlClients(config_.network, *mediaPolicy_);
        mediaWorker_ = std::make_unique<MediaWorker>(
            *media_, [this, clients] { return clients(&quitting_); }, clock_,
            [this, changed](const std::string&) {
                ++arrivals_;
                changed(); // waiting cards are prepared again with their pictures
            },
            kMediaThreads);
        if (db_) {
            media_->attachIndex(*db_, clock_);
        }
        std::vector<std::string> sourceHosts;
        for (const auto& source : config_.sources) {
            sourceHosts.insert(sourceHosts.end(), source.hosts.begin(), source.hosts.end());
        }
        mediaWorker_->allowPrivateHosts(std::move(sourceHosts));
    } else if (purpose != WallPurpose::Fetch) {
        // Downloads off (the offline demo, a shot): pictures already in the cache still show.
        media_ = std::make_unique<MediaCache>(mediaDir, MediaLimits{});
    }
    ingest_ = std::make_unique<Ingest>(Ingest::Targets{
        store_, moderator_, db_.get(), mediaWorker_.get(), clock_, changed,
        std::size_t(config_.storage.maxPosts), UnixTime(config_.storage.maxAgeHours) * 3600});
    if (db_) {
        // The last posts are on screen at once, before the network has answered anything.
        restore(purpose != WallPurpose::Fetch);
    }
    if (purpose != WallPurpose::Fetch) {
        store_.add(announcementPosts(config_));
    }
    latest_ = config_;
    const bool grouped = purpose == WallPurpose::Display && config_.group.enabled;
    Config first = config_;
    if (grouped) {
        first.sources.clear(); // which sources this screen fetches, the group says
    }
    fetch_ = std::make_unique<LiveFetch>(
        first, *ingest_, policy_,
        options_.clients ? options_.clients : politeCurlClients(config_.network, policy_), clock_,
        db_.get());
    live_ = std::make_unique<LiveWall>(std::make_shared<const Config>(config_), changed);
    if (grouped) {
        joinGroup();
    }
    if (purpose == WallPurpose::Display) {
        // share and group come with a group below; venueChanged is ControlPage's to wire.
        ControlDeps deps{.store = store_,
                         .moderator = moderator_,
                         .db = *db_,
                         .live = *live_,
                         .health = [this] { return fetch_->health(); },
                         .restartSources = [this](const Config& next) { restartFetch(next); },
                         .clock = clock_,
                         .media = media_.get()};
        deps.trySource = [this](const nlohmann::ordered_json& source) {
            return kiosk::trySource(source, config_,
                                    options_.clients ? options_.clients
                                                     : politeCurlClients(config_.network, policy_),
                                    clock_());
        };
        if (group_) {
            deps.share = [this](const SharedChange& change) { group_->share(change); };
            deps.group = [this] { return group_->view(); };
        }
        page_ = std::make_unique<ControlPage>(config_, std::move(deps));
    }
}

void Wall::joinGroup() {
    link_ = std::make_unique<MosquittoLink>(config_.group);
    Group::Hooks hooks;
    hooks.apply = [this](const SharedChange& change) {
        page_->post([change](WallControl& control) { control.applyShared(change); });
    };
    hooks.posts = [this](std::vector<Post> posts) { ingest_->posts(std::move(posts)); };
    hooks.deleted = [this](std::vector<std::string> ids) { ingest_->deleted(ids); };
    hooks.cursor = [this](const std::string& label, const std::string& state) {
        db_->saveSourceState(label, state); // where a takeover resumes
    };
    hooks.owned = [this](const std::vector<std::string>&) { fetchOwned(); };
    const auto ms = [] {
        return std::int64_t(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
    };
    group_ = std::make_unique<Group>(config_.group, *link_, db_.get(), ms, std::move(hooks));
    FetchTaps taps;
    taps.posts = [this](const std::vector<Post>& posts) { group_->fetched(posts); };
    taps.deleted = [this](const std::vector<std::string>& ids) { group_->deletedHere(ids); };
    taps.state = [this](const std::string& label, const std::string& state) {
        group_->cursorMoved(label, state);
    };
    fetch_->tap(std::move(taps));
}

void Wall::restartFetch(const Config& next) {
    {
        std::lock_guard lock(sourcesMutex_);
        latest_ = next;
    }
    if (!group_) {
        fetch_->restart(next);
        return;
    }
    std::vector<std::string> labels;
    for (const auto& source : next.sources) {
        labels.push_back(source.label);
    }
    group_->setSources(std::move(labels));
    fetchOwned();
}

void Wall::fetchOwned() {
    Config next;
    {
        std::lock_guard lock(sourcesMutex_);
        next = latest_;
    }
    const std::vector<std::string> owned = group_->owned();
    // A source taken over from another screen is made anew by the fetch's SourceSet and resumes
    // from the position that screen published (hooks.cursor keeps it in the database).
    std::erase_if(next.sources, [&owned](const SourceSpec& source) {
        return std::find(owned.begin(), owned.end(), source.label) == owned.end();
    });
    fetch_->restart(next); // stops the threads first: no source is polled twice at once
}

Wall::~Wall() {
    quitting_ = true;
    if (group_) {
        group_->stop(); // says goodbye; no group decision or post arrives after this
    }
    page_.reset(); // no organiser command runs from here on
    fetch_->stop();
    if (mediaWorker_) {
        mediaWorker_->stop();
    }
}

void Wall::restore(bool withPosts) {
    Database& db = *db_;
    addOrganiserMemory(db, config_);
    db.retain(std::size_t(config_.storage.maxPosts), UnixTime(config_.storage.maxAgeHours) * 3600,
              clock_());
    for (const auto& [id, verdict] : db.loadDecisions()) {
        if (verdict == Verdict::Show) {
            moderator_.approve(id);
        } else if (verdict == Verdict::Queue) {
            moderator_.hold(id); // a removal request the organiser has not looked at yet
        } else {
            moderator_.hide(id);
        }
    }
    std::vector<Post> shown;
    if (withPosts) {
        for (auto& stored : db.loadPosts(std::size_t(config_.display.maxPosts), Verdict::Show)) {
            shown.push_back(std::move(stored.post));
        }
        logInfo("store", "restored " + std::to_string(shown.size()) + " posts from the last run");
        store_.add(std::move(shown));
    }
}

void Wall::start() {
    if (page_ && config_.admin.enabled) {
        page_->start();
    }
    fetch_->start();
    if (group_) {
        std::vector<std::string> labels;
        for (const auto& source : config_.sources) {
            labels.push_back(source.label);
        }
        group_->start(std::move(labels));
    }
    if (mediaWorker_) {
        mediaWorker_->start();
    }
}

std::optional<std::string> Wall::findMedia(const std::string& url) const {
    return media_ ? media_->find(url) : std::nullopt;
}

void Wall::showing(const std::vector<std::string>& ids) {
    if (!group_) {
        return;
    }
    std::vector<std::string> lines;
    const UnixTime now = clock_();
    for (const auto& h : fetch_->health()) {
        lines.push_back(describeHealth(h, now));
    }
    group_->setHealth(std::move(lines));
    group_->showing(ids);
}

std::set<std::string> Wall::shownElsewhere() const {
    return group_ ? group_->shownElsewhere() : std::set<std::string>{};
}

std::vector<std::string> Wall::groupScreens() const {
    return group_ ? group_->onlineScreens() : std::vector<std::string>{};
}

std::uint64_t Wall::elsewhereVersion() const {
    return group_ ? group_->elsewhereVersion() : 0;
}

void Wall::wantMedia(const std::vector<std::string>& urls) {
    if (mediaWorker_) {
        mediaWorker_->prioritise(urls);
    }
}

} // namespace kiosk
