// The one edge to SDL's video: the window (the whole console on KMSDRM) with the first renderer
// whose check picture reads back right, or an offscreen picture for `kiosk shot`; its events;
// presenting; saving what was drawn. The rest of the wall draws through WallView on renderer()
// and never calls SDL itself (the layers test allows SDL headers under kiosk/render/ only).
#pragma once

#include "kiosk/base/Result.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

struct SDL_Renderer;
struct SDL_Surface;
struct SDL_Window;

namespace kiosk {

// What happened on the display since the last look.
struct DisplayEvents {
    bool quit = false;   // the window closed, Escape or q
    bool lost = false;   // the renderer was reset or the display disconnected: open it again
    bool redraw = false; // resized, exposed or render targets lost: draw the next frame whole
};

class Display {
public:
    // SDL's video, then the window and the first renderer that draws right (RendererChoice.h).
    // nullptr, with the reason logged, when there is no display or no renderer draws on it.
    static std::unique_ptr<Display> open(const std::string& title,
                                         std::optional<std::pair<int, int>> windowed);
    // A software renderer drawing into a width x height picture, without a video driver.
    static Result<std::unique_ptr<Display>> offscreen(int width, int height);
    ~Display();
    Display(const Display&) = delete;
    Display& operator=(const Display&) = delete;

    SDL_Renderer* renderer() const { return renderer_; }
    int maxTexture() const { return maxTexture_; }
    // The drawable size in native pixels.
    std::pair<int, int> outputSize() const;
    // The display's refresh rate in Hz, 0 when it does not say.
    int refreshRate() const;
    void present();
    DisplayEvents events();
    // The offscreen picture as a PNG file.
    Result<bool> savePng(const std::string& path) const;

private:
    Display() = default;

    SDL_Window* window_ = nullptr;
    SDL_Renderer* renderer_ = nullptr;
    SDL_Surface* surface_ = nullptr; // offscreen only
    bool video_ = false;             // SDL's video is ours to quit
    int maxTexture_ = 2048;
};

} // namespace kiosk
