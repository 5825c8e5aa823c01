// See FrameSchedule.h.
#include "kiosk/app/FrameSchedule.h"

#include <algorithm>
#include <cmath>

namespace kiosk {

FramePlan FrameSchedule::plan(const FrameInput& in) {
    FramePlan p;
    const double t = in.t;
    const auto nextPrepare = [&] {
        return std::max(t, in.nextChangeAt.value_or(t) - kPrepareLead);
    };
    if (in.postsChanged) {
        dirty_ = true;
    }
    if (in.page != shownPage_) {
        shownPage_ = in.page;
        p.pageChanged = true;
        dirty_ = true;
        prepared_ = false;
        prepareAt_ = nextPrepare();
    }
    p.publish = p.pageChanged || in.postsChanged;
    // When the minute turns every card's relative time changes: the page on screen is prepared
    // again for the new minute, so the frame path never lays out a card. Not when the page
    // changes first: the next page is prepared for its own minute.
    const UnixTime nextMinute = (in.now / 60 + 1) * 60;
    const double minuteAt = t + double(nextMinute - in.now);
    const bool minuteWanted = !minutePrepared_ && in.nextChangeAt.value_or(minuteAt + 1) > minuteAt;
    const bool minuteDue = minuteWanted && minuteAt - t <= kPrepareLead;
    if ((in.postsChanged || in.mediaArrived) && prepared_) {
        // New or hidden posts may change what comes next, a picture may have come for a card
        // waiting to show: ask again. The page on screen is never asked for again, so nothing
        // changes under a reader's eyes.
        prepared_ = false;
        prepareAt_ = nextPrepare();
    }
    if ((!prepared_ && t >= prepareAt_) || minuteDue) {
        if (minuteDue) {
            minutePrepared_ = true;
            p.prepareMinute = nextMinute;
        }
        if (!prepared_ && t >= prepareAt_) {
            prepared_ = true;
        }
        // Asked again with the minute's cards, so a request never drops the other.
        p.prepareNext = prepared_;
    }
    if (in.now / 60 != shownMinute_) {
        shownMinute_ = in.now / 60;
        minutePrepared_ = false;
        dirty_ = true; // the clock and relative times
    }
    p.draw = dirty_ || in.inTransition;
    p.refreshUpNext = dirty_; // it copies the schedule: once per change, not per frame
    if (in.inTransition) {
        return p; // frames are paced by the present (vsync) or FramePacing
    }
    // Nothing changing: sleep until the next page, the next minute, a preparation due, or the
    // next watchdog ping.
    double until = 60.0 - double(in.now % 60);
    if (in.nextChangeAt) {
        until = std::min(until, *in.nextChangeAt - t);
    }
    if (!prepared_) {
        until = std::min(until, prepareAt_ - t);
    }
    if (minuteWanted && !minuteDue) {
        until = std::min(until, minuteAt - kPrepareLead - t);
    }
    if (in.watchdogEvery) {
        until = std::min(until, *in.watchdogEvery);
    }
    p.sleepMs = std::min(kEventCheckMs, std::max(1, int(std::ceil(until * 1000))));
    return p;
}

} // namespace kiosk
