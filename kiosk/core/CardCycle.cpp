// See CardCycle.h.
#include "kiosk/core/CardCycle.h"

#include <algorithm>

namespace kiosk {

CardCycle::CardCycle(double cardSeconds, double transitionSeconds)
    : cardSeconds_(std::max(1.0, cardSeconds)),
      transitionSeconds_(std::max(0.0, transitionSeconds)) {}

void CardCycle::advance(const std::vector<Post>& posts, double at) {
    auto index = rotation_.next(posts);
    if (!index) {
        return;
    }
    previous_ = std::move(current_);
    current_ = posts[*index];
    shownAt_ = at;
}

void CardCycle::update(const std::vector<Post>& posts, double t) {
    if (!current_) {
        advance(posts, t); // the first posts appear as soon as they exist
        return;
    }
    // A post deleted or hidden while on screen leaves at once, without a fade.
    const bool stillThere = std::any_of(posts.begin(), posts.end(),
                                        [this](const Post& p) { return p.id == current_->id; });
    if (!stillThere) {
        current_.reset();
        previous_.reset();
        advance(posts, t);
        return;
    }
    // Catch up card by card, so a late frame (or a shot at a later t) lands where a steady
    // wall would have been.
    int guard = 0;
    while (t >= shownAt_ + cardSeconds_ && guard++ < 100000) {
        const double at = shownAt_ + cardSeconds_;
        if (posts.size() <= 1 && !posts.empty() && posts.front().id == current_->id) {
            shownAt_ = at; // the only post stays; no transition to itself
            continue;
        }
        if (posts.empty()) {
            break;
        }
        advance(posts, at);
    }
}

double CardCycle::progress(double t) const {
    if (!current_ || !previous_ || transitionSeconds_ <= 0.0) {
        return 1.0;
    }
    return std::clamp((t - shownAt_) / transitionSeconds_, 0.0, 1.0);
}

std::optional<double> CardCycle::nextChangeAt() const {
    if (!current_) {
        return std::nullopt;
    }
    return shownAt_ + cardSeconds_;
}

} // namespace kiosk
