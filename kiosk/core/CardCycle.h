// The wall's timeline: which card is on screen at time t, which one is fading out, and when
// the next change is due. Time is a parameter (seconds since the wall started), so the live
// wall and `kiosk shot --at T` go through exactly the same steps.
#pragma once

#include "kiosk/core/Post.h"
#include "kiosk/core/Rotation.h"

#include <optional>
#include <vector>

namespace kiosk {

class CardCycle {
public:
    CardCycle(double cardSeconds, double transitionSeconds);

    // Moves the timeline to t with the posts currently available (newest first).
    void update(const std::vector<Post>& posts, double t);

    const Post* current() const { return current_ ? &*current_ : nullptr; }
    const Post* previous() const { return previous_ ? &*previous_ : nullptr; }
    // 0 when the transition to current() starts, 1 when it is done.
    double progress(double t) const;
    bool inTransition(double t) const { return progress(t) < 1.0; }
    // When update() will next change something (card end), or nullopt with nothing to show.
    std::optional<double> nextChangeAt() const;

private:
    void advance(const std::vector<Post>& posts, double at);

    double cardSeconds_;
    double transitionSeconds_;
    Rotation rotation_;
    std::optional<Post> current_;
    std::optional<Post> previous_;
    double shownAt_ = 0;
};

} // namespace kiosk
