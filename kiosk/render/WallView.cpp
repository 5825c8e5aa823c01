// See WallView.h.
#include "kiosk/render/WallView.h"

#include <algorithm>

namespace kiosk {

WallView::WallView(SDL_Renderer* renderer, TextEngine& text, Theme theme)
    : text_(text), layers_(renderer, text), theme_(std::move(theme)) {}

const Layer& WallView::cardLayer(const Post& post, int width, int height, UnixTime now) {
    // Relative times change by the minute at most, so a minute-granular key is exact enough.
    const std::string key = post.id + "|" + std::to_string(width) + "x" + std::to_string(height) +
                            "|" + std::to_string(now / 60);
    auto it = cards_.find(key);
    if (it == cards_.end()) {
        if (cards_.size() > 8) {
            cards_.clear(); // only two cards are ever on screen
        }
        it = cards_.emplace(key, layoutCard(post, theme_, width, height, text_, now)).first;
    }
    return it->second;
}

void WallView::draw(const WallFrame& frame, int width, int height) {
    layers_.clear(theme_.background);
    WallInfo info = frame.info;
    info.waiting = frame.current == nullptr;
    layers_.draw(layoutChrome(info, theme_, width, height, text_), 1.0);
    // The outgoing text fades out before the incoming text fades in: two posts overlapping
    // at half strength are unreadable. Smoothstep keeps both halves soft at their ends.
    const auto smooth = [](double x) {
        x = std::clamp(x, 0.0, 1.0);
        return x * x * (3 - 2 * x);
    };
    const double p = frame.previous ? frame.progress : 1.0;
    if (frame.previous && p < 0.5) {
        layers_.draw(cardLayer(*frame.previous, width, height, frame.now), 1.0 - smooth(p * 2));
    }
    if (frame.current) {
        layers_.draw(cardLayer(*frame.current, width, height, frame.now), smooth(p * 2 - 1));
    }
    layers_.endFrame();
}

} // namespace kiosk
