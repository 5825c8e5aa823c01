// See CardCycle.h.
#include "kiosk/model/CardCycle.h"

#include <algorithm>
#include <set>

namespace kiosk {

CardCycle::CardCycle(std::size_t perPage, double transitionSeconds, PageSeconds pageSeconds)
    : perPage_(std::max<std::size_t>(1, perPage)),
      transitionSeconds_(std::max(0.0, transitionSeconds)), pageSeconds_(std::move(pageSeconds)) {}

CardCycle::CardCycle(double cardSeconds, double transitionSeconds)
    : CardCycle(1, transitionSeconds,
                [s = std::max(1.0, cardSeconds)](const std::vector<Post>&) { return s; }) {}

std::vector<Post> CardCycle::takePage(Schedule& schedule, const std::vector<Post>& posts,
                                      UnixTime now) const {
    std::vector<Post> page;
    std::set<std::string> ids;
    const std::size_t want = std::min(perPage_, posts.size());
    for (std::size_t tries = 0; page.size() < want && tries < want * 3; ++tries) {
        auto index = schedule.next(posts, now);
        if (!index) {
            break;
        }
        if (ids.insert(posts[*index].id).second) {
            page.push_back(posts[*index]);
        }
    }
    return page;
}

void CardCycle::advance(const std::vector<Post>& posts, double at, UnixTime now) {
    std::vector<Post> next = takePage(schedule_, posts, now);
    if (next.empty()) {
        return;
    }
    previous_ = std::move(page_);
    page_ = std::move(next);
    shownAt_ = at;
    showFor_ = std::max(1.0, pageSeconds_(page_));
}

std::vector<Post> CardCycle::upNext(const std::vector<Post>& posts, std::size_t count) const {
    Schedule copy = schedule_; // a peek must not use the posts up
    std::vector<Post> out;
    for (std::size_t i = 0; i < count && out.size() < posts.size(); ++i) {
        auto index = copy.next(posts, now_);
        if (!index) {
            break;
        }
        const bool onScreen = std::any_of(page_.begin(), page_.end(),
                                          [&](const Post& p) { return p.id == posts[*index].id; });
        const bool listed = std::any_of(out.begin(), out.end(),
                                        [&](const Post& p) { return p.id == posts[*index].id; });
        if (!onScreen && !listed) {
            out.push_back(posts[*index]);
        }
    }
    return out;
}

void CardCycle::update(const std::vector<Post>& posts, double t, UnixTime now) {
    now_ = now;
    if (page_.empty()) {
        advance(posts, t, now); // the first posts appear as soon as they exist
        return;
    }
    // A post deleted or hidden while on screen leaves at once, without a fade.
    for (const auto& shown : page_) {
        const bool stillThere = std::any_of(posts.begin(), posts.end(),
                                            [&](const Post& p) { return p.id == shown.id; });
        if (!stillThere) {
            page_.clear();
            previous_.clear();
            advance(posts, t, now);
            return;
        }
    }
    // Catch up page by page, so a late frame (or a shot at a later t) lands where a steady
    // wall would have been.
    int guard = 0;
    while (t >= shownAt_ + showFor_ && guard++ < 100000) {
        const double at = shownAt_ + showFor_;
        if (posts.size() <= page_.size()) {
            shownAt_ = at; // everything is already on screen; no transition to itself
            continue;
        }
        advance(posts, at, now);
    }
}

double CardCycle::progress(double t) const {
    if (page_.empty() || previous_.empty() || transitionSeconds_ <= 0.0) {
        return 1.0;
    }
    return std::clamp((t - shownAt_) / transitionSeconds_, 0.0, 1.0);
}

std::optional<double> CardCycle::nextChangeAt() const {
    if (page_.empty()) {
        return std::nullopt;
    }
    return shownAt_ + showFor_;
}

} // namespace kiosk
