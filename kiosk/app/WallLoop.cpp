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
#include "kiosk/render/RendererChoice.h"
#include "kiosk/render/RendererProbe.h"

#include <SDL.h>

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

struct Display {
    SDL_Window* window = nullptr;
    SDL_Renderer* renderer = nullptr;
    int maxTexture = 2048;
};

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

SDL_Window* openWindow(const Config& config, std::optional<std::pair<int, int>> windowed) {
    const Uint32 flags = windowed
                             ? SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE
                             : SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_ALLOW_HIGHDPI;
    SDL_Window* window = SDL_CreateWindow(config.event.name.c_str(), SDL_WINDOWPOS_CENTERED,
                                          SDL_WINDOWPOS_CENTERED, windowed ? windowed->first : 1920,
                                          windowed ? windowed->second : 1080, flags);
    if (!window) {
        logError("app", std::string("cannot create the window: ") + SDL_GetError());
    }
    return window;
}

std::vector<std::string> renderDrivers() {
    std::vector<std::string> names;
    for (int i = 0; i < SDL_GetNumRenderDrivers(); ++i) {
        SDL_RendererInfo info;
        names.emplace_back(SDL_GetRenderDriverInfo(i, &info) == 0 ? info.name : "");
    }
    return names;
}

// Opens the window and the first renderer whose check picture reads back right (see
// RendererChoice.h). A renderer that fails takes its window with it: on KMSDRM a window keeps
// the GL flavour of the renderer that was on it.
bool openDisplay(const Config& config, std::optional<std::pair<int, int>> windowed, Display& d) {
    keepShaderCache();
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        logError("app", std::string("cannot open a display: ") + SDL_GetError() +
                            " (on a console, check the user is in the video and render groups)");
        return false;
    }
    const std::vector<std::string> drivers = renderDrivers();
    const char* forced = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
    const auto order = rendererOrder(SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "",
                                     forced ? forced : "", drivers);
    const auto attempt = [&](const std::string& name) -> std::optional<std::string> {
        if (!d.window && !(d.window = openWindow(config, windowed))) {
            return std::string("no window");
        }
        const int index = int(std::find(drivers.begin(), drivers.end(), name) - drivers.begin());
        const Uint32 flags = name == "software"
                                 ? SDL_RENDERER_SOFTWARE
                                 : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC;
        d.renderer = SDL_CreateRenderer(d.window, index, flags);
        auto failure = d.renderer ? checkRendererDraws(d.renderer)
                                  : std::optional(std::string("cannot start: ") + SDL_GetError());
        if (failure) {
            if (d.renderer) {
                SDL_DestroyRenderer(d.renderer);
                d.renderer = nullptr;
            }
            SDL_DestroyWindow(d.window);
            d.window = nullptr;
        }
        return failure;
    };
    if (!chooseRenderer(order, attempt)) {
        logError("app",
                 "no renderer draws on this display (tried " + std::to_string(order.size()) + ")");
        return false;
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(d.renderer, &info) == 0) {
        if (info.max_texture_width > 0) {
            d.maxTexture = std::min(info.max_texture_width, info.max_texture_height);
        }
        logInfo("app", std::string("renderer ") + info.name + " on " + SDL_GetCurrentVideoDriver() +
                           ", checked, textures up to " + std::to_string(d.maxTexture) + " px");
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
    for (;;) {
        Display display;
        if (!openDisplay(wall.config(), windowed, display)) {
            closeDisplay(display);
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
        const FrameEnd end = runFrames(display.renderer, display.maxTexture, run);
        closeDisplay(display);
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
