// The frame loop's timing decisions, without SDL: whether a frame is drawn, when the next
// page's cards are asked for (kPrepareLead seconds before they show, not at once, so their
// surfaces never sit beside this page's for a whole page), when the page on screen is prepared
// again for the coming minute (every relative time changes), and how long the loop may sleep.
// Tests drive it with their own t and now.
#pragma once

#include "kiosk/base/Time.h"

#include <optional>
#include <string>

namespace kiosk {

// How long before a page change its cards start being prepared: far more than preparing takes
// on a Pi (tens of milliseconds), so a fade never waits.
constexpr double kPrepareLead = 3.0;
// The longest the loop sleeps between looks at SDL's events: keys and SIGTERM (SDL_QUIT) are
// seen within a fifth of a second.
constexpr int kEventCheckMs = 200;

// What the loop saw this turn.
struct FrameInput {
    double t = 0;                        // seconds since the wall started
    UnixTime now = 0;                    // wall-clock time
    std::string page;                    // the ids on screen, in order
    bool postsChanged = false;           // the store or the organiser changed what may show
    bool mediaArrived = false;           // an avatar or picture was downloaded
    bool inTransition = false;           // a page change is being animated
    std::optional<double> nextChangeAt;  // when the page changes next (t)
    std::optional<double> watchdogEvery; // seconds between systemd watchdog pings
};

// What to do this turn.
struct FramePlan {
    bool pageChanged = false; // a new page is on screen: tell the control page
    bool publish = false;     // what is on screen or next changed: tell the control page
    bool prepareNext = false; // ask for the next page's cards now
    std::optional<UnixTime> prepareMinute; // ask for this page's cards again, as at this minute
    bool draw = false;                     // draw and present a frame
    bool refreshUpNext = false;            // work out the rail's "up next" again before drawing
    int sleepMs = 0;                       // then wait this long for a wake-up (0 while animating)
};

class FrameSchedule {
public:
    FramePlan plan(const FrameInput& in);
    // The frame was drawn: nothing more to draw until something changes.
    void drawn() { dirty_ = false; }
    // The window was exposed, resized or lost its render targets.
    void invalidate() { dirty_ = true; }

private:
    std::string shownPage_;
    UnixTime shownMinute_ = 0;
    bool dirty_ = true;
    bool prepared_ = true; // the next page has been asked for
    double prepareAt_ = 0;
    bool minutePrepared_ = false; // the page on screen has been asked for the coming minute
};

} // namespace kiosk
