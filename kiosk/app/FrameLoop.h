// The frame loop for one open display: picks up the organiser's changes and new posts, moves
// the card timeline, has the next page prepared ahead, draws only when something changed, and
// sleeps otherwise (waking for the next card, the next minute, an event, or the watchdog).
// It returns when asked to quit or when the display went away, so the wall can reopen it.
#pragma once

#include "kiosk/app/ControlPage.h"
#include "kiosk/app/SystemdNotify.h"
#include "kiosk/core/CardCycle.h"
#include "kiosk/core/LiveWall.h"
#include "kiosk/render/CardPreparer.h"

#include <chrono>
#include <cstdint>

struct SDL_Renderer;

namespace kiosk {

// What outlives one display: the timeline and the counters go on when the display comes back.
struct WallRun {
    const Config& config;
    PostStore& store;
    Moderator& moderator;
    LiveWall& live;
    LiveFetch& fetch;
    MediaLookup lookup;
    SystemdNotify& systemd;
    CardCycle cycle;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
    std::uint64_t frames = 0;
    bool ready = false; // the first frame is up (READY sent)
};

enum class FrameEnd { Quit, DisplayLost };

FrameEnd runFrames(SDL_Renderer* renderer, int maxTexture, WallRun& run);

// Milliseconds since the process started, for "first post on screen after" figures.
double msSinceProcessStart();

} // namespace kiosk
