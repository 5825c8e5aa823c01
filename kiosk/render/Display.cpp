// See Display.h.
#include "kiosk/render/Display.h"

#include "kiosk/base/Log.h"
#include "kiosk/render/RendererChoice.h"
#include "kiosk/render/RendererProbe.h"

#include <SDL.h>
#include <SDL_image.h>

#include <algorithm>
#include <vector>

namespace kiosk {
namespace {

SDL_Window* openWindow(const std::string& title, std::optional<std::pair<int, int>> windowed) {
    const Uint32 flags = windowed
                             ? SDL_WINDOW_SHOWN | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE
                             : SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_ALLOW_HIGHDPI;
    SDL_Window* window = SDL_CreateWindow(title.c_str(), SDL_WINDOWPOS_CENTERED,
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

} // namespace

std::unique_ptr<Display> Display::open(const std::string& title,
                                       std::optional<std::pair<int, int>> windowed) {
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
        logError("app", std::string("cannot open a display: ") + SDL_GetError() +
                            " (on a console, check the user is in the video and render groups)");
        SDL_Quit();
        return nullptr;
    }
    std::unique_ptr<Display> d(new Display);
    d->video_ = true;
    const std::vector<std::string> drivers = renderDrivers();
    const char* forced = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
    const auto order = rendererOrder(SDL_GetCurrentVideoDriver() ? SDL_GetCurrentVideoDriver() : "",
                                     forced ? forced : "", drivers);
    // A renderer that fails takes its window with it: on KMSDRM a window keeps the GL flavour of
    // the renderer that was on it.
    const auto attempt = [&](const std::string& name) -> std::optional<std::string> {
        if (!d->window_ && !(d->window_ = openWindow(title, windowed))) {
            return std::string("no window");
        }
        const int index = int(std::find(drivers.begin(), drivers.end(), name) - drivers.begin());
        const Uint32 flags = name == "software"
                                 ? SDL_RENDERER_SOFTWARE
                                 : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC;
        d->renderer_ = SDL_CreateRenderer(d->window_, index, flags);
        auto failure = d->renderer_ ? checkRendererDraws(d->renderer_)
                                    : std::optional(std::string("cannot start: ") + SDL_GetError());
        if (failure) {
            if (d->renderer_) {
                SDL_DestroyRenderer(d->renderer_);
                d->renderer_ = nullptr;
            }
            SDL_DestroyWindow(d->window_);
            d->window_ = nullptr;
        }
        return failure;
    };
    if (!chooseRenderer(order, attempt)) {
        logError("app",
                 "no renderer draws on this display (tried " + std::to_string(order.size()) + ")");
        return nullptr;
    }
    SDL_RendererInfo info;
    if (SDL_GetRendererInfo(d->renderer_, &info) == 0) {
        if (info.max_texture_width > 0) {
            d->maxTexture_ = std::min(info.max_texture_width, info.max_texture_height);
        }
        logInfo("app", std::string("renderer ") + info.name + " on " + SDL_GetCurrentVideoDriver() +
                           ", checked, textures up to " + std::to_string(d->maxTexture_) + " px");
    }
    SDL_ShowCursor(SDL_DISABLE);
    return d;
}

Result<std::unique_ptr<Display>> Display::offscreen(int width, int height) {
    std::unique_ptr<Display> d(new Display);
    d->surface_ = SDL_CreateRGBSurfaceWithFormat(0, width, height, 32, SDL_PIXELFORMAT_ARGB8888);
    d->renderer_ = d->surface_ ? SDL_CreateSoftwareRenderer(d->surface_) : nullptr;
    if (!d->renderer_) {
        return Error{std::string("cannot create a software renderer: ") + SDL_GetError()};
    }
    d->maxTexture_ = 8192;
    return d;
}

Display::~Display() {
    if (renderer_) {
        SDL_DestroyRenderer(renderer_);
    }
    if (window_) {
        SDL_DestroyWindow(window_);
    }
    if (surface_) {
        SDL_FreeSurface(surface_);
    }
    if (video_) {
        SDL_Quit();
    }
}

std::pair<int, int> Display::outputSize() const {
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(renderer_, &w, &h);
    return {w, h};
}

int Display::refreshRate() const {
    SDL_DisplayMode mode{};
    return window_ && SDL_GetWindowDisplayMode(window_, &mode) == 0 ? mode.refresh_rate : 0;
}

void Display::present() {
    SDL_RenderPresent(renderer_);
}

DisplayEvents Display::events() {
    DisplayEvents out;
    SDL_Event e;
    while (SDL_PollEvent(&e)) {
        if (e.type == SDL_QUIT || (e.type == SDL_KEYDOWN && (e.key.keysym.sym == SDLK_ESCAPE ||
                                                             e.key.keysym.sym == SDLK_q))) {
            out.quit = true;
        } else if (e.type == SDL_RENDER_DEVICE_RESET ||
                   (e.type == SDL_DISPLAYEVENT &&
                    e.display.event == SDL_DISPLAYEVENT_DISCONNECTED)) {
            if (!out.lost) {
                logWarn("app", "the display went away (" +
                                   std::string(e.type == SDL_RENDER_DEVICE_RESET ? "renderer reset"
                                                                                 : "disconnected") +
                                   "); opening it again");
            }
            out.lost = true;
        } else if (e.type == SDL_WINDOWEVENT || e.type == SDL_RENDER_TARGETS_RESET) {
            out.redraw = true;
        }
    }
    return out;
}

Result<bool> Display::savePng(const std::string& path) const {
    if (!surface_) {
        return Error{"only an offscreen display is saved"};
    }
    SDL_Surface* rgb = SDL_ConvertSurfaceFormat(surface_, SDL_PIXELFORMAT_RGB24, 0);
    const bool ok = rgb && IMG_SavePNG(rgb, path.c_str()) == 0;
    const std::string why = ok ? "" : SDL_GetError();
    SDL_FreeSurface(rgb);
    if (!ok) {
        return Error{why};
    }
    return true;
}

} // namespace kiosk
