// `kiosk shot`: the wall rendered headlessly with SDL's software renderer into a PNG. Same
// config, sources, --at and --now: the same bytes, so it doubles as a golden-image tool.
#include "kiosk/app/ArgParser.h"
#include "kiosk/app/Commands.h"
#include "kiosk/app/ControlPage.h"
#include "kiosk/app/Wall.h"
#include "kiosk/app/WallSetup.h"
#include "kiosk/base/Log.h"

#include <SDL.h>
#include <SDL_image.h>

#include <cmath>
#include <ctime>
#include <iostream>

namespace kiosk {

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
    showAttendeePageInQr(config.value(), config.value().admin.port);
    // Stored posts are there before any fetch, as on the wall after a restart; pictures come
    // from the media cache as it is (a shot never downloads any).
    Wall wall(std::move(config.value()), {WallPurpose::Shot, nullptr, nullptr, nullptr});
    wall.fetch().pollOnce();
    const Config& shown = wall.config();
    const auto posts = std::make_shared<const std::vector<Post>>(
        wallPosts(*wall.store().snapshot(), wall.moderator()));
    const MediaLookup lookup = [&wall](const std::string& url) { return wall.findMedia(url); };

    CardCycle cycle = makeCycle(shown);
    cycle.update(*posts, 0, now);
    cycle.update(*posts, at, now);
    for (const auto& p : cycle.page()) {
        logDebug("shot", "on screen at " + std::to_string(at) + " s: " + p.id + " (until " +
                             std::to_string(cycle.nextChangeAt().value_or(at)) + " s)");
    }

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
        TextEngine text(fontChain(shown.display));
        WallView view(renderer, text, cardStyle(shown.display, 8192), viewOptions(shown.display),
                      lookup, nullptr);
        view.draw(frameAt(frameInputs(shown), cycle, *posts, wall.fetch().health(), at, now), w, h);
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

} // namespace kiosk
