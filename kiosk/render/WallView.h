// Draws one frame of the wall: chrome, the outgoing card fading out and the incoming card
// fading in. Layouts are cached per card and screen size, so a transition's frames only draw.
#pragma once

#include "kiosk/core/Layout.h"
#include "kiosk/render/LayerRenderer.h"

#include <map>
#include <string>

namespace kiosk {

struct WallFrame {
    const Post* current = nullptr;
    const Post* previous = nullptr;
    double progress = 1.0; // of the transition from previous to current
    WallInfo info;
    UnixTime now = 0;
};

class WallView {
public:
    WallView(SDL_Renderer* renderer, TextEngine& text, Theme theme);
    void draw(const WallFrame& frame, int width, int height);

private:
    const Layer& cardLayer(const Post& post, int width, int height, UnixTime now);

    TextEngine& text_;
    LayerRenderer layers_;
    Theme theme_;
    std::map<std::string, Layer> cards_; // key: post id, size and minute (relative time)
};

} // namespace kiosk
