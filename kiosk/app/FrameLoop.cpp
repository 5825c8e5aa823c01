// See FrameLoop.h.
#include "kiosk/app/FrameLoop.h"

#include "kiosk/app/FrameSchedule.h"
#include "kiosk/app/WallSetup.h"
#include "kiosk/base/FramePacing.h"
#include "kiosk/base/Log.h"

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
    // by minutes; the loader never takes seconds, so the static time is trusted then.
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

namespace {

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

// What the frame loop hands back when it returns: the view's counters for the closing log.
void addCounters(WallRun& run, WallView& view) {
    run.latePrepared += view.inlinePrepared();
    run.linesRendered += view.linesRenderedHere();
}

// The avatars and pictures of the cards about to show, which go before the rest of the queue.
std::vector<std::string> mediaOf(const std::vector<CardRequest>& requests) {
    std::vector<std::string> urls;
    for (const auto& r : requests) {
        urls.push_back(r.post.author.avatar);
        if (!r.post.media.empty()) {
            urls.push_back(r.post.media.front().url);
        }
    }
    return urls;
}

// The display's events since the last look: nullopt to go on, else why the loop ends.
std::optional<FrameEnd> handleEvents(Display& display, FrameSchedule& schedule) {
    const DisplayEvents e = display.events();
    if (e.quit) {
        return FrameEnd::Quit;
    }
    if (e.lost) {
        return FrameEnd::DisplayLost;
    }
    if (e.redraw) {
        schedule.invalidate();
    }
    return std::nullopt;
}

void noteFirstFrames(WallRun& run, const CardCycle& cycle, std::size_t posts) {
    if (!run.ready) {
        run.ready = true;
        const std::string what = std::to_string(posts) + " posts";
        logInfo("app", "first frame up after " + std::to_string(int(msSinceProcessStart())) +
                           " ms, " + (cycle.current() ? "showing a card of " : "nothing yet of ") +
                           what);
        run.systemd.ready("showing " + what);
    }
    if (!run.postShown && cycle.current() && !cycle.current()->id.empty()) {
        // From an empty store the first frame says "waiting"; this is when a post came.
        run.postShown = true;
        logInfo("app",
                "first post on screen after " + std::to_string(int(msSinceProcessStart())) + " ms");
    }
}

} // namespace

FrameEnd runFrames(Display& display, WallRun& run) {
    auto* renderer = display.renderer();
    const int maxTexture = display.maxTexture();
    Wall& wall = run.wall;
    const Config& config = wall.config();
    const CardStyle style = cardStyle(config.display, maxTexture);
    TextEngine text(fontChain(config.display));
    CardPreparer preparer(style, run.lookup, fontChain(config.display));
    WallView view(renderer, text, style, viewOptions(config.display), run.lookup, &preparer);
    CardCycle& cycle = run.cycle;
    const bool rail = config.display.screen.kind == LayoutKind::Rail;
    const std::size_t railCards = rail ? std::size_t(config.display.screen.railCards) : 0;
    FrameSchedule schedule;
    std::uint64_t seenVersion = ~0ull, seenLive = ~0ull;
    std::shared_ptr<const Config> shown; // as the organiser last changed it
    FrameInputs chrome;                  // made from `shown`, once per change
    PostSnapshot posts = wall.store().snapshot();
    std::vector<Post> railPosts;
    const double frameRate = frameRateFor(display.refreshRate());
    std::uint64_t seenArrivals = wall.mediaArrivals();
    std::uint64_t seenElsewhere = 0;
    const auto since = [&run] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - run.start).count();
    };
    for (;;) {
        FrameInput in;
        in.t = since();
        if (wall.live().version() != seenLive) {
            seenLive = wall.live().version();
            shown = wall.live().config();
            chrome = frameInputs(*shown);
            applySchedule(*shown, cycle);
            seenVersion = ~0ull; // panic, hides and blocks: filter again
        }
        if (wall.store().version() != seenVersion) {
            seenVersion = wall.store().version();
            in.postsChanged = true;
            posts = wallSnapshot(wall.store().snapshot(), wall.moderator());
        }
        if (wall.elsewhereVersion() != seenElsewhere) {
            // Screens side by side in a group do not put up the same post at the same time.
            seenElsewhere = wall.elsewhereVersion();
            cycle.schedule().setElsewhere(wall.shownElsewhere());
            cycle.schedule().setScreens(wall.groupScreens());
        }
        in.now = std::time(nullptr);
        cycle.update(*posts, in.t, in.now);
        for (const auto& p : cycle.page()) {
            in.page += p.id + ";";
        }
        in.mediaArrived = wall.mediaArrivals() != seenArrivals;
        seenArrivals = wall.mediaArrivals();
        in.inTransition = cycle.inTransition(in.t);
        in.nextChangeAt = cycle.nextChangeAt();
        if (auto ping = run.systemd.pingEvery()) {
            in.watchdogEvery = double(ping->count()) / 1000.0;
        }
        const FramePlan plan = schedule.plan(in);
        const double t = in.t;
        const UnixTime now = in.now;
        const auto [w, h] = display.outputSize(); // native pixels
        if (plan.publish) {
            // What the control page's preview shows: this page and the next cards.
            wall.live().show({cycle.page(), cycle.upNext(*posts, 6), now});
            std::vector<std::string> ids;
            for (const auto& p : cycle.page()) {
                ids.push_back(p.id);
            }
            wall.showing(ids); // for the other screens of a group
        }
        if (plan.pageChanged) {
            logDebug("app", "showing " + in.page + " at t=" + std::to_string(t));
        }
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
        if (plan.prepareNext || plan.prepareMinute) {
            std::vector<CardRequest> requests;
            if (plan.prepareMinute) {
                requests = view.requestsFor(cycle.page(), railPosts, *plan.prepareMinute, w, h);
            }
            if (plan.prepareNext) {
                auto next = nextPageRequests(cycle, *posts, railCards, view, t, now, w, h);
                requests.insert(requests.end(), next.begin(), next.end());
            }
            wall.wantMedia(mediaOf(requests));
            preparer.request(std::move(requests));
        }
        if (plan.draw) {
            if (plan.refreshUpNext) {
                railPosts = rail ? cycle.upNext(*posts, railCards) : std::vector<Post>{};
            }
            view.draw(frameAt(chrome, cycle, *posts, wall.fetch().health(), t, now, &railPosts), w,
                      h);
            display.present(); // with vsync, this paces the transition frames
            ++run.frames;
            schedule.drawn();
            if (in.inTransition) {
                // Without vsync the present returns at once: hold the frames to the display's
                // rate (60 at most), waking early for keys and signals.
                const double wait = paceAfterFrame(t, since(), frameRate);
                if (wait > 0) {
                    run.waker.waitFor(
                        std::chrono::milliseconds(std::int64_t(std::ceil(wait * 1000))));
                }
            } else {
                // A page has settled: hand the surfaces and glyphs freed since back to the
                // system, so the wall's footprint stays flat over a day instead of creeping.
                malloc_trim(0);
            }
            noteFirstFrames(run, cycle, posts->size());
        }
        run.systemd.watchdog();
        if (plan.sleepMs > 0) {
            run.waker.waitFor(std::chrono::milliseconds(plan.sleepMs));
        }
        if (auto end = handleEvents(display, schedule)) {
            addCounters(run, view);
            return *end;
        }
    }
}

} // namespace kiosk
