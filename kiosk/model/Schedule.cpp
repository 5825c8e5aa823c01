// See Schedule.h. pick() runs with decreasing strictness: first every rule, then without the
// no-repeat window, then without author spacing, so a small pool still fills the wall.
#include "kiosk/model/Schedule.h"
#include "kiosk/base/Rendezvous.h"

#include <algorithm>
#include <span>

namespace kiosk {

namespace {
constexpr const char* kAnnouncement = "announcement";
}

Schedule::Schedule(ScheduleRules rules) : rules_(std::move(rules)) {}

std::string Schedule::authorKey(const Post& post) const {
    return post.author.handle.empty() ? post.source + ":" + post.author.name : post.author.handle;
}

bool Schedule::live(const Post& post, UnixTime now) const {
    if (post.source == kAnnouncement) {
        auto it = windows_.find(post.id);
        if (it == windows_.end()) {
            return true;
        }
        return (it->second.from == 0 || now >= it->second.from) &&
               (it->second.until == 0 || now < it->second.until);
    }
    // Pinned posts stay however old they are.
    return rules_.maxAge <= 0 || pinned_.count(post.id) || now - post.createdAt <= rules_.maxAge;
}

void Schedule::record(const Post& post) {
    ++turn_;
    lastShown_[post.id] = turn_;
    currentId_ = post.id;
    if (post.source == kAnnouncement) {
        lastAnnouncementTurn_ = turn_;
        return;
    }
    if (pinned_.count(post.id)) {
        lastPinTurn_ = turn_;
    }
    ++shownPerSource_[post.source];
    recentAuthors_.push_back(authorKey(post));
    while (int(recentAuthors_.size()) >= std::max(1, rules_.authorSpacing)) {
        recentAuthors_.pop_front();
    }
}

std::optional<std::size_t> Schedule::pick(const std::vector<Post>& posts, UnixTime now,
                                          const Strictness& strict) {
    const auto shownAt = [this](const Post& p) {
        auto it = lastShown_.find(p.id);
        return it == lastShown_.end() ? std::uint64_t(0) : it->second;
    };
    const auto eligible = [&](const Post& p) {
        if (!live(p, now) || p.source == kAnnouncement ||
            (posts.size() > 1 && p.id == currentId_)) {
            return false;
        }
        const std::uint64_t at = shownAt(p);
        if (strict.noRepeat && at != 0 && turn_ - at < std::uint64_t(rules_.noRepeatWithin)) {
            return false;
        }
        const bool authorRecent = std::find(recentAuthors_.begin(), recentAuthors_.end(),
                                            authorKey(p)) != recentAuthors_.end();
        if (strict.mine && rendezvousOwner(p.id, screens_) != screens_.front()) {
            return false;
        }
        return !(strict.spacing && (authorRecent || elsewhere_.count(p.id)));
    };
    // Fresh posts first, newest first (posts arrive sorted newest first).
    for (std::size_t i = 0; i < posts.size(); ++i) {
        if (shownAt(posts[i]) == 0 && eligible(posts[i])) {
            return i;
        }
    }
    // Then the source that is furthest behind its share, and its least recently shown post.
    std::map<std::string, std::optional<std::size_t>> bestBySource;
    for (std::size_t i = 0; i < posts.size(); ++i) {
        if (!eligible(posts[i])) {
            continue;
        }
        auto& best = bestBySource[posts[i].source];
        if (!best || shownAt(posts[i]) < shownAt(posts[*best])) {
            best = i;
        }
    }
    std::optional<std::size_t> chosen;
    double lowest = 0;
    for (const auto& [source, index] : bestBySource) {
        auto w = rules_.sourceWeights.find(source);
        const double weight = w == rules_.sourceWeights.end() ? 1.0 : std::max(0.01, w->second);
        const auto shown = shownPerSource_.find(source);
        const double share =
            (shown == shownPerSource_.end() ? 0.0 : double(shown->second)) / weight;
        if (!chosen || share < lowest) {
            chosen = index;
            lowest = share;
        }
    }
    return chosen;
}

std::optional<std::size_t> Schedule::next(const std::vector<Post>& posts, UnixTime now) {
    // Announcements and pins have their own beat.
    const auto due = [this](std::uint64_t last, int every) {
        return every > 0 && turn_ + 1 - last >= std::uint64_t(every);
    };
    if (due(lastAnnouncementTurn_, rules_.announcementEvery)) {
        std::optional<std::size_t> oldest;
        for (std::size_t i = 0; i < posts.size(); ++i) {
            if (posts[i].source == kAnnouncement && live(posts[i], now) &&
                (!oldest || lastShown_[posts[i].id] < lastShown_[posts[*oldest].id])) {
                oldest = i;
            }
        }
        if (oldest) {
            record(posts[*oldest]);
            return oldest;
        }
    }
    if (!pinned_.empty() && due(lastPinTurn_, rules_.pinEvery)) {
        std::optional<std::size_t> oldest;
        for (std::size_t i = 0; i < posts.size(); ++i) {
            if (pinned_.count(posts[i].id) && posts[i].id != currentId_ &&
                (!oldest || lastShown_[posts[i].id] < lastShown_[posts[*oldest].id])) {
                oldest = i;
            }
        }
        if (oldest) {
            record(posts[*oldest]);
            return oldest;
        }
    }
    // From strictest to none. In a group, this screen's own share of the posts comes first, even
    // at the cost of an early repeat: another screen's post may be going up there this moment.
    static const Strictness kAlone[] = {{false, true, true}, {false, false, true}, {}};
    static const Strictness kInGroup[] = {
        {true, true, true}, {true, false, true}, {false, true, true}, {false, false, true}, {}};
    const bool grouped = screens_.size() > 1;
    for (const Strictness& strict :
         grouped ? std::span<const Strictness>(kInGroup) : std::span<const Strictness>(kAlone)) {
        if (auto index = pick(posts, now, strict)) {
            record(posts[*index]);
            return index;
        }
    }
    // Only announcements (or one post) are left: show what is live.
    for (std::size_t i = 0; i < posts.size(); ++i) {
        if (live(posts[i], now)) {
            record(posts[i]);
            return i;
        }
    }
    return std::nullopt;
}

} // namespace kiosk
