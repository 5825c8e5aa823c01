// The wall itself: the store, the fetch threads and the control page, then a window (or the
// whole console through KMSDRM) for the frame loop. A display that is missing at start or goes
// away is reported and opened again, with growing pauses, while everything else keeps running.
#include "kiosk/app/ArgParser.h"
#include "kiosk/app/Commands.h"
#include "kiosk/app/FrameLoop.h"
#include "kiosk/app/SystemdNotify.h"
#include "kiosk/app/Wall.h"
#include "kiosk/app/WallSetup.h"
#include "kiosk/base/FileText.h"
#include "kiosk/base/Log.h"
#include "kiosk/base/UserDirs.h"
#include "kiosk/render/Display.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <malloc.h>
#include <thread>

namespace kiosk {
namespace {

// Mesa keeps compiled shaders under $XDG_CACHE_HOME, which the service points at /var/cache, a
// read-only folder under ProtectSystem=strict: every start would compile every shader again,
// which takes seconds on a Pi. They go to the wall's own cache unless the organiser says.
void keepShaderCache() {
    if (std::getenv("MESA_SHADER_CACHE_DIR")) {
        return;
    }
    const std::string dir = userDir(UserDir::Cache) + "/mesa";
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    if (error) {
        logWarn("app", "no shader cache in " + dir + ": " + error.message());
        return;
    }
    setenv("MESA_SHADER_CACHE_DIR", dir.c_str(), 0);
}

// A config on the boot partition that did not load: packaging/boot-config keeps the last good
// one running and leaves `kiosk check`'s line here, for the wall to show until a good one comes.
std::string bootConfigNotice() {
    const auto text = readTextFile(userDir(UserDir::State) + "/boot-config-error");
    if (!text || text->empty()) {
        return "";
    }
    std::string line = text->substr(0, text->find('\n')).substr(0, 300);
    logWarn("app", "the boot partition's config did not load: " + line);
    return line + " (running the last good config)";
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
    config->event.notice = bootConfigNotice();
    // Card-sized surfaces come and go all day: from the heap they would leave it fragmented, so
    // blocks from 128 KB go to their own mappings and return to the system when freed; few
    // arenas, as the threads allocate little.
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    mallopt(M_ARENA_MAX, 2);
    Waker waker; // outlives the wall, whose threads wake it
    Wall wall(std::move(config.value()),
              {WallPurpose::Display, nullptr, nullptr, [&waker] { waker.wake(); }});
    wall.start();
    SystemdNotify systemd;
    WallRun run{wall, [&wall](const std::string& url) { return wall.findMedia(url); }, systemd,
                waker, makeCycle(wall.config())};
    int failures = 0;
    keepShaderCache();
    for (;;) {
        auto display = Display::open(wall.config().event.name, windowed);
        if (!display) {
            // 2, 4, 8, 16, then every 30 s: a projector switched on late is found quickly, and
            // a board without one does not spin.
            const int wait = std::min(30, 2 << std::min(failures++, 3));
            logWarn("app", "no display; trying again in " + std::to_string(wait) + " s");
            systemd.status("waiting for a display (attempt " + std::to_string(failures) + ")");
            if (!run.ready) {
                systemd.extendStart(std::chrono::seconds(wait + 30));
            }
            for (int i = 0; i < wait * 10; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
                systemd.watchdog(); // the process is not hung, only waiting
            }
            continue;
        }
        failures = 0;
        const FrameEnd end = runFrames(*display, run);
        display.reset();
        if (end == FrameEnd::Quit) {
            break;
        }
    }
    logInfo("app", "drew " + std::to_string(run.frames) + " frames in " +
                       std::to_string(int(msSinceProcessStart() / 1000)) + " s; " +
                       std::to_string(run.latePrepared) + " cards prepared on the frame path, " +
                       std::to_string(run.linesRendered) + " lines of text drawn there");
    return 0;
}

} // namespace kiosk
