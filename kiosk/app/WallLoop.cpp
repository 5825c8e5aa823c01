// The wall itself: a window (or the whole console through KMSDRM), the fetch threads feeding
// the store, the card preparer working ahead, and a frame loop that sleeps until something
// changes: a new page, new posts, the clock's minute, or an event.
#include "kiosk/app/ArgParser.h"
#include "kiosk/app/ControlPage.h"
#include "kiosk/app/Commands.h"
#include "kiosk/app/WallSetup.h"
#include "kiosk/app/Wiring.h"
#include "kiosk/core/Log.h"

#include <SDL.h>

#include <atomic>
#include <cmath>
#include <ctime>
#include <iostream>

namespace kiosk {
namespace {

struct Display {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    int maxTexture = 2048;
};

bool openDisplay(const Config& config, std::optional<std::pair<int, int>> windowed, Display& d) {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        logError("app", std::string("cannot open a display: ") + SDL_GetError() +
                            " (on a console, check the user is in the video and render groups)");
        return false;
    }
    const Uint32 flags = windowed
                             ? SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE
                             : SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_ALLOW_HIGHDPI;
    d.window = SDL_CreateWindow(config.event.name.c_str(), SDL_WINDOWPOS_CENTERED,
                                SDL_WINDOWPOS_CENTERED, windowed ? windowed->first : 1920,
                                windowed ? windowed->second : 1080, flags);
    if (!d.window) {
        logError("app", std::string("cannot create the window: ") + SDL_GetError());
        return false;
    }
    d.renderer =
        SDL_CreateRenderer(d.window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!d.renderer) {
        logWarn("app", std::string("no accelerated renderer, using software: ") + SDL_GetError());
        d.renderer = SDL_CreateRenderer(d.window, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!d.renderer) {
        logError("app", std::string("cannot create a renderer: ") + SDL_GetError());
        return false;
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(d.renderer, &info) == 0 && info.max_texture_width > 0) {
        d.maxTexture = std::min(info.max_texture_width, info.max_texture_height);
        logInfo("app", std::string("renderer ") + info.name + ", textures up to " +
                           std::to_string(d.maxTexture) + " px");
    }
    SDL_ShowCursor(SDL_DISABLE);
    return true;
}

void closeDisplay(Display& d) {
    if (d.renderer) {
        SDL_DestroyRenderer(d.renderer);
    }
    if (d.window) {
        SDL_DestroyWindow(d.window);
    }
    SDL_Quit();
}

} // namespace

int runWall(const Args& args) {
    auto a = parseArgs(args, {"config", "windowed"}, {"help"});
    if (!a.error.empty()) {
        std::cerr << "kiosk: " << a.error << "\n";
        return 2;
    }
    std::optional<std::pair<int, int>> windowed;
    if (auto text = a.get("windowed")) {
        windowed = parseSize(*text);
        if (!windowed) {
            std::cerr << "kiosk: --windowed expects WIDTHxHEIGHT, e.g. 1280x720\n";
            return 2;
        }
    }
    auto config = loadConfigFile(a.get("config").value_or("config/kiosk.json"));
    if (!config) {
        std::cerr << config.error() << "\n";
        return 2;
    }
    Display display;
    if (!openDisplay(*config, windowed, display)) {
        closeDisplay(display);
        return 1;
    }

    const Uint32 wakeEvent = SDL_RegisterEvents(1);
    const auto wake = [wakeEvent] {
        SDL_Event e{};
        e.type = wakeEvent;
        SDL_PushEvent(&e); // thread-safe; wakes the frame loop from SDL_WaitEventTimeout
    };
    PostStore store(std::size_t(config->display.maxPosts));
    std::atomic<bool> quitting{false};
    auto db = openDatabase(*config, true);
    if (!db) {
        // The control page still needs somewhere to keep the queue: this run's memory.
        db = std::move(Database::open(":memory:").value());
    }
    // The last posts are on screen at once, before the network has answered anything.
    Fetching fetching = makeFetchingWithMemory(*config, store, db.get(), true, &quitting, wake,
                                               config->network.downloadMedia);
    MediaCache* media = fetching.media.get();
    std::unique_ptr<MediaCache> readOnlyMedia;
    if (!media) {
        // Downloads off (the offline demo): pictures already in the cache still show.
        readOnlyMedia = std::make_unique<MediaCache>(
            mediaCacheDirFor(config->network, config->path), MediaLimits{});
        media = readOnlyMedia.get();
    }
    const MediaLookup lookup = [media](const std::string& url) { return media->find(url); };
    store.add(announcementPosts(*config));
    LiveFetch fetch(*config, fetching, store, db.get(), wake);
    LiveWall live(std::make_shared<const Config>(*config), wake);
    auto page = std::make_unique<ControlPage>(
        *config, ControlDeps{store, *fetching.moderator, *db, live,
                             [&fetch] { return fetch.health(); },
                             [&fetch](const Config& next) { fetch.restart(next); },
                             [] { return UnixTime(std::time(nullptr)); }});
    if (config->admin.enabled) {
        page->start();
    }
    fetch.start();
    if (fetching.mediaWorker) {
        fetching.mediaWorker->start();
    }
    {
        const CardStyle style = cardStyle(config->display, display.maxTexture);
        TextEngine text(fontChain(config->display));
        CardPreparer preparer(style, lookup, fontChain(config->display));
        WallView view(display.renderer, text, style, viewOptions(config->display), lookup,
                      &preparer);
        CardCycle cycle = makeCycle(*config);
        const bool rail = config->display.screen.kind == LayoutKind::Rail;
        const std::size_t railCards = std::size_t(config->display.screen.railCards);
        const Uint64 start = SDL_GetTicks64();
        std::uint64_t seenVersion = ~0ull, seenLive = live.version();
        std::shared_ptr<const Config> shown = live.config(); // as the organiser last changed it
        PostSnapshot posts = store.snapshot();
        std::string shownIds;
        std::vector<Post> railPosts;
        UnixTime shownMinute = 0;
        bool dirty = true, running = true;
        while (running) {
            const double t = (SDL_GetTicks64() - start) / 1000.0;
            bool postsChanged = false;
            if (live.version() != seenLive) {
                seenLive = live.version();
                shown = live.config();
                applySchedule(*shown, cycle);
                seenVersion = ~0ull; // panic, hides and blocks: filter again
            }
            if (store.version() != seenVersion) {
                seenVersion = store.version();
                postsChanged = true;
                posts = std::make_shared<const std::vector<Post>>(
                    wallPosts(*store.snapshot(), *fetching.moderator));
                dirty = true;
            }
            const UnixTime now = std::time(nullptr);
            cycle.update(*posts, t, now);
            std::string ids;
            for (const auto& p : cycle.page()) {
                ids += p.id + ";";
            }
            int w = 0, h = 0;
            SDL_GetRendererOutputSize(display.renderer, &w, &h); // native pixels
            if (ids != shownIds || postsChanged) {
                // What the control page's preview shows: this page and the next cards.
                live.show({cycle.page(), cycle.upNext(*posts, 6), now});
            }
            if (ids != shownIds) {
                logDebug("app", "showing " + ids + " at t=" + std::to_string(t));
                // Prepare the next page (and its rail) while this one is read.
                const double showAt = cycle.nextChangeAt().value_or(t);
                const UnixTime then = now + UnixTime(std::max(0.0, showAt - t));
                std::vector<Post> next = cycle.upNext(*posts, cycle.page().size() + railCards);
                std::vector<Post> nextPage(
                    next.begin(), next.begin() + long(std::min(next.size(), cycle.page().size())));
                std::vector<Post> nextRail;
                if (rail && next.size() > nextPage.size()) {
                    nextRail.assign(next.begin() + long(nextPage.size()), next.end());
                }
                preparer.request(view.requestsFor(nextPage, nextRail, then, w, h));
                shownIds = ids;
                dirty = true;
            }
            if (now / 60 != shownMinute) {
                shownMinute = now / 60;
                dirty = true; // the clock and relative times
            }
            const bool animating = cycle.inTransition(t);
            if (dirty || animating) {
                if (dirty) {
                    // Working out "up next" copies the schedule: once per change, not per frame.
                    railPosts = rail ? cycle.upNext(*posts, railCards) : std::vector<Post>{};
                }
                view.draw(
                    frameAt(*shown, cycle, *posts, fetch.health(), t, now, &railPosts),
                    w, h);
                SDL_RenderPresent(display.renderer); // vsync paces the transition frames
                dirty = false;
            }
            // Nothing changing: sleep until the next page, the next minute or an event.
            int timeout = 0;
            if (!animating) {
                double until = 60.0 - double(now % 60);
                if (auto next = cycle.nextChangeAt()) {
                    until = std::min(until, *next - t);
                }
                timeout = std::max(1, int(std::ceil(until * 1000)));
            }
            SDL_Event e;
            bool got = animating ? SDL_PollEvent(&e) : SDL_WaitEventTimeout(&e, timeout);
            while (got) {
                if (e.type == SDL_QUIT) {
                    running = false;
                } else if (e.type == SDL_KEYDOWN &&
                           (e.key.keysym.sym == SDLK_ESCAPE || e.key.keysym.sym == SDLK_q)) {
                    running = false;
                } else if (e.type == SDL_WINDOWEVENT) {
                    dirty = true;
                }
                got = SDL_PollEvent(&e);
            }
        }
    }
    quitting = true;
    page.reset(); // no organiser command runs from here on
    fetch.stop();
    if (fetching.mediaWorker) {
        fetching.mediaWorker->stop();
    }
    closeDisplay(display);
    return 0;
}

} // namespace kiosk
