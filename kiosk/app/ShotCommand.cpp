// `kiosk shot`: the wall rendered headlessly with SDL's software renderer into a PNG. Same
// config, sources, --at and --now: the same bytes, so it doubles as a golden-image tool.
#include "kiosk/app/ArgParser.h"
#include "kiosk/app/Commands.h"
#include "kiosk/app/ControlPage.h"
#include "kiosk/app/Wall.h"
#include "kiosk/app/WallSetup.h"
#include "kiosk/base/Log.h"

#include "kiosk/render/Display.h"

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
    auto display = Display::offscreen(w, h);
    if (!display) {
        std::cerr << "kiosk shot: " << display.error() << "\n";
        return 1;
    }
    Result<bool> saved = true;
    {
        // The view's textures go before the renderer they live on.
        TextEngine text(fontChain(shown.display));
        WallView view((*display)->renderer(), text, cardStyle(shown.display, 8192),
                      viewOptions(shown.display), lookup, nullptr);
        view.draw(frameAt(frameInputs(shown), cycle, *posts, wall.fetch().health(), at, now), w, h);
        (*display)->present();
        saved = (*display)->savePng(*out);
    }
    if (!saved) {
        std::cerr << "kiosk shot: " << *out << ": cannot write PNG: " << saved.error() << "\n";
        return 1;
    }
    return 0;
}

} // namespace kiosk
