// One screen's membership of a wall group: the organiser decisions every screen shares (newest
// per key wins, the same way on every screen), who is online (presence with a last will), which
// screen fetches which source (rendezvous hashing over the online screens that have it), the
// posts and cursors the fetching screen publishes for the others, and what each screen shows.
// Pure logic over a GroupLink and a clock; the broker's topics live under kiosk/<group>/.
//
//   members/<screen>    retained  presence: online, sources, what it fetches, health lines
//   decisions/<hash>    retained  one SharedChange per key
//   posts/<screen>      retained  the last posts that screen fetched, and deletions
//   cursors/<hash>      retained  a source's saved position, so a takeover resumes there
//   showing/<screen>    retained  the post ids on that screen now
#pragma once

#include "kiosk/config/Config.h"
#include "kiosk/group/GroupLink.h"
#include "kiosk/model/Post.h"
#include "kiosk/model/SharedChange.h"
#include "kiosk/store/Database.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kiosk {

class Group {
public:
    using ClockMs = std::function<std::int64_t()>;
    // Each runs on the link's thread or the group's ticker, never under the group's lock.
    struct Hooks {
        std::function<void(const SharedChange&)> apply;                     // newer, from elsewhere
        std::function<void(std::vector<Post>)> posts;                       // fetched elsewhere
        std::function<void(std::vector<std::string>)> deleted;              // deleted at the source
        std::function<void(const std::string&, const std::string&)> cursor; // label, state
        std::function<void(const std::vector<std::string>&)> owned;         // fetch these now
    };
    // How long without the broker before this screen fetches every source itself; at start,
    // how long it waits for the broker before doing so.
    static constexpr std::int64_t kAloneAfterMs = 60'000;
    static constexpr std::int64_t kAloneAtStartMs = 10'000;
    // After connecting, the retained presence of the others arrives first: decide then.
    static constexpr std::int64_t kSettleMs = 800;
    static constexpr std::size_t kPostWindow = 200;

    Group(GroupConfig config, GroupLink& link, Database* db, ClockMs clock, Hooks hooks);
    ~Group();
    Group(const Group&) = delete;
    Group& operator=(const Group&) = delete;

    // Who calls tick(): the group's own thread, or the caller. The fuzz target ticks by hand,
    // because a thread per input cost more than the input and ran at moments the input does not
    // choose.
    enum class Ticking { Thread, ByCaller };
    // Connects and starts the ticker (presence refresh, being alone after a long outage).
    void start(std::vector<std::string> sourceLabels, Ticking ticking = Ticking::Thread);
    void stop();
    // Called once a second by the ticker; tests call it with their own clock.
    void tick();

    void setSources(std::vector<std::string> labels);
    // A decision made on this screen's page: stamped, kept, sent (or sent when the broker is
    // back). Returns it as stamped.
    SharedChange share(SharedChange change);
    void fetched(const std::vector<Post>& posts);
    void deletedHere(const std::vector<std::string>& ids);
    void cursorMoved(const std::string& label, const std::string& state);
    void showing(const std::vector<std::string>& ids);
    void setHealth(std::vector<std::string> lines);

    // The posts on the other online screens now and just before, and a number that grows when
    // that changes.
    std::set<std::string> shownElsewhere() const;
    std::uint64_t elsewhereVersion() const { return elsewhereVersion_.load(); }
    // This screen first, then the others online now.
    std::vector<std::string> onlineScreens() const;
    // The sources this screen fetches now; empty while it does not know yet.
    std::vector<std::string> owned() const;
    // Every screen, online or not, what it shows and fetches: for the control page.
    nlohmann::json view() const;

private:
    struct Member {
        bool online = false;
        std::vector<std::string> sources;
        std::vector<std::string> fetches;
        std::vector<std::string> health;
        std::vector<std::string> showing;
        std::vector<std::string> previous; // just left the screen: not put up elsewhere at once
    };
    void onMessage(const GroupMessage& message);
    void onConnected();
    void onDisconnected();
    std::string presence(bool online) const; // caller holds mutex_
    // Works out owned_ again; true when it changed (the caller runs hooks_.owned).
    bool recompute(std::int64_t now); // caller holds mutex_
    void runOwned();
    std::string topic(const std::string& rest) const { return base_ + rest; }

    GroupConfig config_;
    GroupLink& link_;
    Database* db_;
    ClockMs clock_;
    Hooks hooks_;
    std::string base_;

    mutable std::mutex mutex_;
    std::map<std::string, SharedChange> decisions_; // guarded by mutex_; key -> newest
    std::set<std::string> pending_;                 // guarded by mutex_; made while away
    std::map<std::string, Member> members_;         // guarded by mutex_; by screen
    std::vector<std::string> labels_;               // guarded by mutex_; this screen's sources
    std::vector<std::string> owned_;                // guarded by mutex_
    bool decided_ = false;                          // guarded by mutex_; owned_ is known
    std::deque<nlohmann::json> window_;             // guarded by mutex_; posts fetched here
    // guarded by mutex_; per screen, the posts (by content) and deletions of its last window
    std::map<std::string, std::set<std::string>> windowSeen_;
    std::deque<std::string> deletedWindow_; // guarded by mutex_
    std::vector<std::string> showing_;      // guarded by mutex_
    std::vector<std::string> health_;       // guarded by mutex_
    bool connected_ = false;                // guarded by mutex_
    std::int64_t startedMs_ = 0;            // guarded by mutex_
    std::int64_t connectedMs_ = 0;          // guarded by mutex_
    std::int64_t lostMs_ = 0;               // guarded by mutex_; 0 while connected
    std::int64_t lastStamp_ = 0;            // guarded by mutex_
    std::int64_t presenceMs_ = 0;           // guarded by mutex_

    std::atomic<std::uint64_t> elsewhereVersion_{0};
    std::condition_variable wake_;
    bool stopping_ = false; // guarded by mutex_
    std::thread ticker_;
};

} // namespace kiosk
