// The two commands that draw: `kiosk shot` (software renderer to PNG, deterministic) and the
// wall itself (window or fullscreen, frame loop, fetch threads feeding the store).
#include "kiosk/app/ArgParser.h"
#include "kiosk/app/Commands.h"
#include "kiosk/app/Wiring.h"
#include "kiosk/core/CardCycle.h"
#include "kiosk/core/Config.h"
#include "kiosk/core/Log.h"
#include "kiosk/core/PostStore.h"
#include "kiosk/net/CurlHttpClient.h"
#include "kiosk/net/FetchWorker.h"
#include "kiosk/render/WallView.h"

#include <SDL.h>
#include <SDL_image.h>

#include <atomic>
#include <cmath>
#include <ctime>
#include <iostream>

namespace kiosk {
namespace {

WallInfo wallInfo(const Config& config, std::size_t postCount) {
    WallInfo info;
    info.eventName = config.event.name;
    info.hashtags = config.event.hashtags;
    info.callToAction = callToActionText(config.event);
    info.postCount = postCount;
    return info;
}

} // namespace

int runShot(const Args& args) {
    auto a = parseArgs(args, {"config", "out", "size", "at", "now"}, {"help"});
    if (a.has("help")) {
        std::cout << "usage: kiosk shot --config FILE --out OUT.png [--size 1920x1080] "
                     "[--at SECONDS] [--now RFC3339]\n"
                     "Polls the sources once and renders the wall as it looks SECONDS after "
                     "start,\nwith relative times computed from --now. Same inputs, same PNG.\n";
        return 0;
    }
    if (!a.error.empty()) {
        std::cerr << "kiosk shot: " << a.error << "\n";
        return 2;
    }
    const auto out = a.get("out");
    if (!out) {
        std::cerr << "kiosk shot: --out OUT.png is required\n";
        return 2;
    }
    const auto size = parseSize(a.get("size").value_or("1920x1080"));
    if (!size) {
        std::cerr << "kiosk shot: --size expects WIDTHxHEIGHT, e.g. 1920x1080\n";
        return 2;
    }
    double at = 0;
    if (auto text = a.get("at")) {
        char* end = nullptr;
        at = std::strtod(text->c_str(), &end);
        if (end == text->c_str() || *end != '\0' || !std::isfinite(at) || at < 0) {
            std::cerr << "kiosk shot: --at expects seconds, e.g. 12.5\n";
            return 2;
        }
    }
    UnixTime now = std::time(nullptr);
    if (auto text = a.get("now")) {
        auto parsed = parseIsoTime(*text);
        if (!parsed) {
            std::cerr << "kiosk shot: --now expects an RFC 3339 time, e.g. 2026-06-13T15:00:00Z\n";
            return 2;
        }
        now = *parsed;
    }
    auto config = loadConfigFile(a.get("config").value_or("config/kiosk.json"));
    if (!config) {
        std::cerr << config.error() << "\n";
        return 2;
    }
    const auto theme = themeNamed(config->display.theme);
    PostStore store(std::size_t(config->display.maxPosts));
    makeFetching(*config, store, nullptr, nullptr).worker->pollOnce();
    const PostSnapshot posts = store.snapshot();

    CardCycle cycle(config->display.cardSeconds, config->display.transitionMs / 1000.0);
    cycle.update(*posts, 0);
    cycle.update(*posts, at);

    const auto [w, h] = *size;
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer* renderer = surface ? SDL_CreateSoftwareRenderer(surface) : nullptr;
    if (!renderer) {
        std::cerr << "kiosk shot: cannot create a software renderer: " << SDL_GetError() << "\n";
        SDL_FreeSurface(surface);
        return 1;
    }
    int rc = 0;
    {
        TextEngine text(defaultFontChain());
        WallView view(renderer, text, *theme);
        WallFrame frame{cycle.current(), cycle.previous(), cycle.progress(at),
                        wallInfo(*config, posts->size()), now};
        view.draw(frame, w, h);
        SDL_RenderPresent(renderer);
        SDL_Surface* rgb = SDL_ConvertSurfaceFormat(surface, SDL_PIXELFORMAT_RGB24, 0);
        if (!rgb || IMG_SavePNG(rgb, out->c_str()) != 0) {
            std::cerr << "kiosk shot: " << *out << ": cannot write PNG: " << SDL_GetError() << "\n";
            rc = 1;
        }
        SDL_FreeSurface(rgb);
    }
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(surface);
    return rc;
}

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
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        logError("app", std::string("cannot open a display: ") + SDL_GetError() +
                            " (on a console, check the user is in the video and render groups)");
        return 1;
    }
    const Uint32 flags = windowed
                             ? SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE
                             : SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_ALLOW_HIGHDPI;
    SDL_Window* window = SDL_CreateWindow(config->event.name.c_str(), SDL_WINDOWPOS_CENTERED,
                                          SDL_WINDOWPOS_CENTERED, windowed ? windowed->first : 1920,
                                          windowed ? windowed->second : 1080, flags);
    if (!window) {
        logError("app", std::string("cannot create the window: ") + SDL_GetError());
        SDL_Quit();
        return 1;
    }
    SDL_Renderer* renderer =
        SDL_CreateRenderer(window, -1, SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC);
    if (!renderer) {
        logWarn("app", std::string("no accelerated renderer, using software: ") + SDL_GetError());
        renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    }
    if (!renderer) {
        logError("app", std::string("cannot create a renderer: ") + SDL_GetError());
        SDL_DestroyWindow(window);
        SDL_Quit();
        return 1;
    }
    SDL_ShowCursor(SDL_DISABLE);

    const Uint32 wakeEvent = SDL_RegisterEvents(1);
    PostStore store(std::size_t(config->display.maxPosts));
    std::atomic<bool> quitting{false};
    Fetching fetching = makeFetching(
        *config, store, &quitting,
        [wakeEvent] {
            SDL_Event e{};
            e.type = wakeEvent;
            SDL_PushEvent(&e); // thread-safe; wakes the frame loop from SDL_WaitEventTimeout
        },
        config->network.downloadMedia);
    FetchWorker* worker = fetching.worker.get();
    worker->start();
    if (fetching.mediaWorker) {
        fetching.mediaWorker->start();
    }
    {
        TextEngine text(defaultFontChain());
        WallView view(renderer, text, *themeNamed(config->display.theme));
        CardCycle cycle(config->display.cardSeconds, config->display.transitionMs / 1000.0);
        const Uint64 start = SDL_GetTicks64();
        std::uint64_t seenVersion = ~0ull;
        PostSnapshot posts = store.snapshot();
        std::string shownId;
        UnixTime shownMinute = 0;
        bool dirty = true, running = true;
        while (running) {
            const double t = (SDL_GetTicks64() - start) / 1000.0;
            if (store.version() != seenVersion) {
                seenVersion = store.version();
                posts = store.snapshot();
                dirty = true; // the footer's post count changed
            }
            cycle.update(*posts, t);
            const UnixTime now = std::time(nullptr);
            const std::string currentId = cycle.current() ? cycle.current()->id : "";
            if (currentId != shownId) {
                logDebug("app", "showing " + currentId + " at t=" + std::to_string(t));
            }
            if (currentId != shownId || now / 60 != shownMinute) {
                shownId = currentId;
                shownMinute = now / 60;
                dirty = true;
            }
            const bool animating = cycle.inTransition(t);
            if (dirty || animating) {
                int w = 0, h = 0;
                SDL_GetRendererOutputSize(renderer, &w, &h); // native pixels, no logical scaling
                view.draw({cycle.current(), cycle.previous(), cycle.progress(t),
                           wallInfo(*config, posts->size()), now},
                          w, h);
                SDL_RenderPresent(renderer); // vsync paces the transition frames
                dirty = false;
            }
            // Nothing changing: sleep until the next card, the next minute or an event.
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
    worker->stop();
    if (fetching.mediaWorker) {
        fetching.mediaWorker->stop();
    }
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    SDL_Quit();
    return 0;
}

} // namespace kiosk
