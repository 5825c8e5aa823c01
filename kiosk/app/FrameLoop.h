// The frame loop for one open display: picks up the organiser's changes and new posts, moves
// the card timeline, has the next page prepared ahead, draws only when something changed, and
// sleeps otherwise (waking for the next card, the next minute, an event, or the watchdog).
// It returns when asked to quit or when the display went away, so the wall can reopen it.
#pragma once

#include "kiosk/app/SystemdNotify.h"
#include "kiosk/app/Wall.h"
#include "kiosk/model/CardCycle.h"
#include "kiosk/render/CardPreparer.h"
#include "kiosk/render/Display.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

namespace kiosk {

// Wakes the frame loop from another thread (new posts, the organiser's changes). SDL's own
// SDL_WaitEventTimeout polls every millisecond on KMSDRM and the dummy driver, which alone costs
// more than the idle budget, so the loop sleeps on this and looks at SDL's events a few times a
// second.
class Waker {
public:
    void wake();
    // Sleeps until wake() or the timeout; true when woken.
    bool waitFor(std::chrono::milliseconds timeout);

private:
    std::mutex mutex_;
    std::condition_variable cv_;
    bool woken_ = false; // guarded by mutex_
};

// What outlives one display: the timeline and the counters go on when the display comes back.
struct WallRun {
    Wall& wall;
    MediaLookup lookup;
    SystemdNotify& systemd;
    Waker& waker;
    CardCycle cycle;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::uint64_t frames = 0;
    std::size_t latePrepared = 0;  // cards laid out on the frame path because none was ready
    std::size_t linesRendered = 0; // lines of text drawn on the frame path (chrome, late cards)
    bool ready = false;            // the first frame is up (READY sent)
    bool postShown = false;        // a post (not only the waiting card) has been on screen
};

enum class FrameEnd { Quit, DisplayLost };

FrameEnd runFrames(Display& display, WallRun& run);

// Milliseconds since the process started, for "first post on screen after" figures.
double msSinceProcessStart();

} // namespace kiosk
