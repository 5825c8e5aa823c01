// The wall's timeline: which page of cards is on screen at time t (one card in spotlight, a
// few in a grid), which page is fading out, and when the next change is due. A page stays as
// long as its longest post takes to read. Time is a parameter (seconds since the wall
// started), so the live wall and `kiosk shot --at T` go through exactly the same steps.
#pragma once

#include "kiosk/model/Post.h"
#include "kiosk/model/ReadingTime.h"
#include "kiosk/model/Schedule.h"

#include <functional>
#include <optional>
#include <vector>

namespace kiosk {

class CardCycle {
public:
    using PageSeconds = std::function<double(const std::vector<Post>&)>;

    CardCycle(std::size_t perPage, double transitionSeconds, PageSeconds pageSeconds);
    // One card per page, each staying cardSeconds.
    CardCycle(double cardSeconds, double transitionSeconds);

    // Moves the timeline to t with the posts currently available (newest first); now is the
    // wall-clock time, for post ages and announcement windows.
    void update(const std::vector<Post>& posts, double t, UnixTime now = 0);
    Schedule& schedule() { return schedule_; }

    const std::vector<Post>& page() const { return page_; }
    const std::vector<Post>& previousPage() const { return previous_; }
    const Post* current() const { return page_.empty() ? nullptr : &page_.front(); }
    const Post* previous() const { return previous_.empty() ? nullptr : &previous_.front(); }
    // The posts that would come after this page, without using them up (the "up next" rail,
    // and preparing the next card ahead).
    std::vector<Post> upNext(const std::vector<Post>& posts, std::size_t count) const;
    // 0 when the transition to page() starts, 1 when it is done.
    double progress(double t) const;
    bool inTransition(double t) const { return progress(t) < 1.0; }
    // When update() will next change something, or nullopt with nothing to show.
    std::optional<double> nextChangeAt() const;

private:
    std::vector<Post> takePage(Schedule& schedule, const std::vector<Post>& posts,
                               UnixTime now) const;
    void advance(const std::vector<Post>& posts, double at, UnixTime now);

    std::size_t perPage_;
    double transitionSeconds_;
    PageSeconds pageSeconds_;
    Schedule schedule_;
    UnixTime now_ = 0;
    std::vector<Post> page_;
    std::vector<Post> previous_;
    double shownAt_ = 0;
    double showFor_ = 0;
};

} // namespace kiosk
