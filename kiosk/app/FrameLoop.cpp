// See FrameLoop.h.
#include "kiosk/app/FrameLoop.h"

#include "kiosk/app/WallSetup.h"
#include "kiosk/core/FramePacing.h"
#include "kiosk/core/Log.h"

#include <SDL.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <malloc.h>
#include <sstream>
#include <unistd.h>

namespace kiosk {

namespace {
// Taken during static initialisation, a few milliseconds after the process started.
const auto kStaticStart = std::chrono::steady_clock::now();
} // namespace

double msSinceProcessStart() {
    const double sinceStatic =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - kStaticStart)
            .count();
    // Field 22 of /proc/self/stat is the start time in clock ticks since boot; CLOCK_BOOTTIME is
    // the same clock, so the difference includes the loader and static initialisation.
    std::ifstream in("/proc/self/stat");
    std::string stat;
    std::getline(in, stat);
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
        return sinceStatic;
    }
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i) {
    }
    timespec now{};
    clock_gettime(CLOCK_BOOTTIME, &now);
    const double startMs = std::stod(field) * 1000.0 / double(sysconf(_SC_CLK_TCK));
    const double sinceStart = double(now.tv_sec) * 1000.0 + double(now.tv_nsec) / 1e6 - startMs;
    // In a container or chroot with its own /proc or time namespace the two clocks can disagree
    // by minutes (seen: 344 s); the loader never takes seconds, so trust the static time then.
    return sinceStart >= sinceStatic && sinceStart < sinceStatic + 2000 ? sinceStart : sinceStatic;
}

void Waker::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    cv_.notify_one();
}

bool Waker::waitFor(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const bool woken = cv_.wait_for(lock, timeout, [this] { return woken_; });
    woken_ = false;
    return woken;
}

// The cards of the page after this one (and its rail), for the time they will show.
std::vector<CardRequest> nextPageRequests(const CardCycle& cycle, const std::vector<Post>& posts,
                                          std::size_t railCards, WallView& view, double t,
                                          UnixTime now, int w, int h) {
    const double showAt = cycle.nextChangeAt().value_or(t);
    const UnixTime then = now + UnixTime(std::max(0.0, showAt - t));
    std::vector<Post> next = cycle.upNext(posts, cycle.page().size() + railCards);
    const std::size_t onPage = std::min(next.size(), cycle.page().size());
    std::vector<Post> nextPage(next.begin(), next.begin() + long(onPage));
    std::vector<Post> nextRail(next.begin() + long(onPage), next.end());
    return view.requestsFor(nextPage, nextRail, then, w, h);
}

// How long before a page change its cards start being prepared: far more than preparing takes
// on a Pi (tens of milliseconds), so a fade never waits.
constexpr double kPrepareLead = 3.0;

FrameEnd runFrames(SDL_Renderer* renderer, int maxTexture, WallRun& run) {
    const Config& config = run.config;
    const CardStyle style = cardStyle(config.display, maxTexture);
    TextEngine text(fontChain(config.display));
    CardPreparer preparer(style, run.lookup, fontChain(config.display));
    WallView view(renderer, text, style, viewOptions(config.display), run.lookup, &preparer);
    CardCycle& cycle = run.cycle;
    const bool rail = config.display.screen.kind == LayoutKind::Rail;
    const std::size_t railCards = rail ? std::size_t(config.display.screen.railCards) : 0;
    std::uint64_t seenVersion = ~0ull, seenLive = ~0ull;
    std::shared_ptr<const Config> shown; // as the organiser last changed it
    PostSnapshot posts = run.store.snapshot();
    std::string shownIds;
    std::vector<Post> railPosts;
    UnixTime shownMinute = 0;
    bool dirty = true, prepared = true, minutePrepared = false;
    double prepareAt = 0;
    SDL_DisplayMode mode{};
    SDL_Window* window = SDL_RenderGetWindow(renderer);
    const double frameRate = frameRateFor(
        window && SDL_GetWindowDisplayMode(window, &mode) == 0 ? mode.refresh_rate : 0);
    std::uint64_t seenArrivals = run.mediaArrivals ? run.mediaArrivals() : 0;
    for (;;) {
        const double t =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - run.start).count();
        bool postsChanged = false;
        if (run.live.version() != seenLive) {
            seenLive = run.live.version();
            shown = run.live.config();
            applySchedule(*shown, cycle);
            seenVersion = ~0ull; // panic, hides and blocks: filter again
        }
        if (run.store.version() != seenVersion) {
            seenVersion = run.store.version();
            postsChanged = true;
            posts = wallSnapshot(run.store.snapshot(), run.moderator);
            dirty = true;
        }
        const UnixTime now = std::time(nullptr);
        cycle.update(*posts, t, now);
        std::string ids;
        for (const auto& p : cycle.page()) {
            ids += p.id + ";";
        }
        int w = 0, h = 0;
        SDL_GetRendererOutputSize(renderer, &w, &h); // native pixels
        if (ids != shownIds || postsChanged) {
            // What the control page's preview shows: this page and the next cards.
            run.live.show({cycle.page(), cycle.upNext(*posts, 6), now});
        }
        if (ids != shownIds) {
            logDebug("app", "showing " + ids + " at t=" + std::to_string(t));
            shownIds = ids;
            dirty = true;
            // The next page is prepared shortly before it is due, not at once: its surfaces
            // would otherwise sit beside this page's textures for the whole page, and beside
            // both pages' during the fade (a third card's worth of memory at the peak).
            prepared = false;
            prepareAt = std::max(t, cycle.nextChangeAt().value_or(t) - kPrepareLead);
        }
        // When the minute turns, every card's relative time changes: the page on screen is
        // prepared again for the new minute too, so the frame path never lays out a card.
        const UnixTime nextMinute = (now / 60 + 1) * 60;
        const double minuteAt = t + double(nextMinute - now);
        // (Not when the page changes first: the next page is prepared for its own minute.)
        const bool minuteWanted =
            !minutePrepared && cycle.nextChangeAt().value_or(minuteAt + 1) > minuteAt;
        const bool minuteDue = minuteWanted && minuteAt - t <= kPrepareLead;
        if (!run.ready && !cycle.page().empty()) {
            // The first page: nothing prepared it ahead. The worker lays it out while this
            // thread waits, so card-sized fonts are only ever opened on the worker.
            auto first = view.requestsFor(cycle.page(), {}, now, w, h);
            std::vector<std::string> keys;
            for (const auto& r : first) {
                keys.push_back(cardKey(r.post, r.slot, r.now));
            }
            preparer.request(std::move(first));
            preparer.waitFor(keys, std::chrono::seconds(3));
        }
        const std::uint64_t arrivals = run.mediaArrivals ? run.mediaArrivals() : 0;
        // A picture that arrives for a card waiting to show has it prepared again (the page on
        // screen is never asked for again, so nothing changes under a reader's eyes).
        const bool mediaCame = arrivals != seenArrivals;
        seenArrivals = arrivals;
        if ((postsChanged || mediaCame) && prepared) {
            prepared = false; // new or hidden posts may change what comes next: ask again
            prepareAt = std::max(t, cycle.nextChangeAt().value_or(t) - kPrepareLead);
        }
        if ((!prepared && t >= prepareAt) || minuteDue) {
            std::vector<CardRequest> requests;
            if (minuteDue) {
                minutePrepared = true;
                requests = view.requestsFor(cycle.page(), railPosts, nextMinute, w, h);
            }
            if (!prepared && t >= prepareAt) {
                prepared = true;
            }
            if (prepared) {
                // Asked again with the minute's cards, so a request never drops the other.
                auto next = nextPageRequests(cycle, *posts, railCards, view, t, now, w, h);
                requests.insert(requests.end(), next.begin(), next.end());
            }
            if (run.wantMedia) {
                // The pictures of the cards about to show come before the rest of the queue.
                std::vector<std::string> urls;
                for (const auto& r : requests) {
                    urls.push_back(r.post.author.avatar);
                    if (!r.post.media.empty()) {
                        urls.push_back(r.post.media.front().url);
                    }
                }
                run.wantMedia(urls);
            }
            preparer.request(std::move(requests));
        }
        if (now / 60 != shownMinute) {
            shownMinute = now / 60;
            minutePrepared = false;
            dirty = true; // the clock and relative times
        }
        const bool animating = cycle.inTransition(t);
        if (dirty || animating) {
            if (dirty) {
                // Working out "up next" copies the schedule: once per change, not per frame.
                railPosts = rail ? cycle.upNext(*posts, railCards) : std::vector<Post>{};
            }
            view.draw(frameAt(*shown, cycle, *posts, run.fetch.health(), t, now, &railPosts), w, h);
            SDL_RenderPresent(renderer); // with vsync, this paces the transition frames
            ++run.frames;
            if (animating) {
                // Without vsync the present returns at once: hold the frames to the display's
                // rate (60 at most), waking early for keys and signals.
                const double after =
                    std::chrono::duration<double>(std::chrono::steady_clock::now() - run.start)
                        .count();
                const double wait = paceAfterFrame(t, after, frameRate);
                if (wait > 0) {
                    run.waker.waitFor(
                        std::chrono::milliseconds(std::int64_t(std::ceil(wait * 1000))));
                }
            }
            if (!animating) {
                // A page has settled: hand the surfaces and glyphs freed since back to the
                // system, so the wall's footprint stays flat over a day instead of creeping.
                malloc_trim(0);
            }
            dirty = false;
            if (!run.ready) {
                run.ready = true;
                const std::string what = std::to_string(posts->size()) + " posts";
                logInfo("app", "first frame up after " +
                                   std::to_string(int(msSinceProcessStart())) + " ms, " +
                                   (cycle.current() ? "showing a card of " : "nothing yet of ") +
                                   what);
                run.systemd.ready("showing " + what);
            }
            if (!run.postShown && cycle.current() && !cycle.current()->id.empty()) {
                // From an empty store the first frame says "waiting"; this is when a post came.
                run.postShown = true;
                logInfo("app", "first post on screen after " +
                                   std::to_string(int(msSinceProcessStart())) + " ms");
            }
        }
        run.systemd.watchdog();
        // Nothing changing: sleep until the next page, the next minute, an event, or the next
        // watchdog ping.
        int timeout = 0;
        if (!animating) {
            double until = 60.0 - double(now % 60);
            if (auto next = cycle.nextChangeAt()) {
                until = std::min(until, *next - t);
            }
            if (!prepared) {
                until = std::min(until, prepareAt - t);
            }
            if (minuteWanted && !minuteDue) {
                until = std::min(until, minuteAt - kPrepareLead - t);
            }
            if (auto ping = run.systemd.pingEvery()) {
                until = std::min(until, double(ping->count()) / 1000.0);
            }
            timeout = std::max(1, int(std::ceil(until * 1000)));
        }
        if (!animating) {
            // Keys and SIGTERM (SDL_QUIT) are seen within a fifth of a second.
            run.waker.waitFor(std::chrono::milliseconds(std::min(timeout, 200)));
        }
        SDL_Event e;
        bool got = SDL_PollEvent(&e);
        while (got) {
            if (e.type == SDL_QUIT || (e.type == SDL_KEYDOWN && (e.key.keysym.sym == SDLK_ESCAPE ||
                                                                 e.key.keysym.sym == SDLK_q))) {
                run.latePrepared += view.inlinePrepared();
                run.linesRendered += view.linesRenderedHere();
                return FrameEnd::Quit;
            }
            if (e.type == SDL_RENDER_DEVICE_RESET ||
                (e.type == SDL_DISPLAYEVENT && e.display.event == SDL_DISPLAYEVENT_DISCONNECTED)) {
                logWarn("app", "the display went away (" +
                                   std::string(e.type == SDL_RENDER_DEVICE_RESET ? "renderer reset"
                                                                                 : "disconnected") +
                                   "); opening it again");
                run.latePrepared += view.inlinePrepared();
                run.linesRendered += view.linesRenderedHere();
                return FrameEnd::DisplayLost;
            }
            if (e.type == SDL_WINDOWEVENT || e.type == SDL_RENDER_TARGETS_RESET) {
                dirty = true;
            }
            got = SDL_PollEvent(&e);
        }
    }
}

} // namespace kiosk
