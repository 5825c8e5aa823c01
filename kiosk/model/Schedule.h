// Decides which post the wall shows next, fairly: a fresh post goes up at the next slot
// (newest first in a burst); otherwise sources take turns by weight and the least recently
// shown post of the chosen source comes back. No author appears twice within `authorSpacing`
// cards and no post repeats within `noRepeatWithin` cards, as far as the posts on hand allow.
// Pinned posts recur every `pinEvery` cards; announcements (posts from source "announcement")
// every `announcementEvery` cards within their time window; posts older than `maxAge` retire.
// Pure logic: time is a parameter, history lives in the object.
#pragma once

#include "kiosk/model/Post.h"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace kiosk {

struct ScheduleRules {
    int authorSpacing = 4;
    int noRepeatWithin = 10;
    int pinEvery = 6;
    int announcementEvery = 8;
    std::map<std::string, double> sourceWeights; // by source ("mastodon": 2); missing is 1
    UnixTime maxAge = 0;                         // seconds; 0: posts never retire
};

struct AnnouncementWindow {
    UnixTime from = 0;  // 0: from the start
    UnixTime until = 0; // 0: no end
};

class Schedule {
public:
    explicit Schedule(ScheduleRules rules = {});

    // Index into posts (newest first) of the next card, or nullopt when nothing may show.
    std::optional<std::size_t> next(const std::vector<Post>& posts, UnixTime now);

    void setRules(ScheduleRules rules) { rules_ = std::move(rules); }
    void setPinned(std::set<std::string> ids) { pinned_ = std::move(ids); }
    void setAnnouncementWindows(std::map<std::string, AnnouncementWindow> windows) {
        windows_ = std::move(windows);
    }
    // Posts on the other screens of a wall group right now: not put up here too while other
    // posts can be (so screens side by side do not echo each other).
    void setElsewhere(std::set<std::string> ids) { elsewhere_ = std::move(ids); }
    // This screen and the group's screens online (this one first): screens that change cards
    // at the same moment cannot hear each other's choice in time, so each first shows the
    // posts that rendezvous hashing gives it. Empty: alone.
    void setScreens(std::vector<std::string> screens) { screens_ = std::move(screens); }
    const std::string& currentId() const { return currentId_; }

private:
    bool live(const Post& post, UnixTime now) const;
    std::string authorKey(const Post& post) const;
    struct Strictness {
        bool mine = false;     // only this screen's rendezvous share (in a group)
        bool noRepeat = false; // nothing shown in the last noRepeatWithin cards
        bool spacing = false;  // no recent author, nothing on another screen now
    };
    std::optional<std::size_t> pick(const std::vector<Post>& posts, UnixTime now,
                                    const Strictness& strict);
    void record(const Post& post);

    ScheduleRules rules_;
    std::set<std::string> pinned_;
    std::set<std::string> elsewhere_;
    std::vector<std::string> screens_;
    std::map<std::string, AnnouncementWindow> windows_;
    std::unordered_map<std::string, std::uint64_t> lastShown_; // id -> turn
    std::map<std::string, std::uint64_t> shownPerSource_;
    std::deque<std::string> recentAuthors_;
    std::uint64_t turn_ = 0;
    std::uint64_t lastPinTurn_ = 0;
    std::uint64_t lastAnnouncementTurn_ = 0;
    std::string currentId_;
};

} // namespace kiosk
