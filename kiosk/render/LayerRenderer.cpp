// See LayerRenderer.h.
#include "kiosk/render/LayerRenderer.h"

#include "kiosk/core/Log.h"

#include <SDL.h>

#include <algorithm>
#include <cmath>

namespace kiosk {
namespace {

Uint8 scaled(Uint8 a, double alpha) {
    return Uint8(std::lround(a * std::clamp(alpha, 0.0, 1.0)));
}

} // namespace

LayerRenderer::LayerRenderer(SDL_Renderer* renderer, TextEngine& text)
    : renderer_(renderer), text_(text) {
    // A white disc with analytic anti-aliasing; corners and avatars are drawn from it tinted.
    circleSize_ = 256;
    SDL_Surface* s =
        SDL_CreateRGBSurfaceWithFormat(0, circleSize_, circleSize_, 32, SDL_PIXELFORMAT_ARGB8888);
    if (s) {
        const double r = circleSize_ / 2.0;
        auto* pixels = static_cast<Uint32*>(s->pixels);
        for (int y = 0; y < circleSize_; ++y) {
            for (int x = 0; x < circleSize_; ++x) {
                const double d = std::hypot(x + 0.5 - r, y + 0.5 - r);
                const double coverage = std::clamp(r - d + 0.5, 0.0, 1.0);
                pixels[y * (s->pitch / 4) + x] =
                    (Uint32(std::lround(coverage * 255)) << 24) | 0x00FFFFFF;
            }
        }
        circle_ = SDL_CreateTextureFromSurface(renderer_, s);
        SDL_FreeSurface(s);
    }
    if (circle_) {
        SDL_SetTextureBlendMode(circle_, SDL_BLENDMODE_BLEND);
        SDL_SetTextureScaleMode(circle_, SDL_ScaleModeLinear);
    } else {
        logWarn("render",
                std::string("no circle texture, drawing square corners: ") + SDL_GetError());
    }
}

LayerRenderer::~LayerRenderer() {
    for (auto& [key, cached] : texts_) {
        SDL_DestroyTexture(cached.texture);
    }
    SDL_DestroyTexture(circle_);
}

void LayerRenderer::clear(Color c) {
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, 255);
    SDL_RenderClear(renderer_);
}

void LayerRenderer::fillRoundedRect(const Rect& r, int radius, Color c, double alpha) {
    radius = std::min({radius, r.w / 2, r.h / 2});
    const Uint8 a = scaled(c.a, alpha);
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, a);
    if (radius <= 0 || !circle_) {
        SDL_Rect rect{r.x, r.y, r.w, r.h};
        SDL_RenderFillRect(renderer_, &rect);
        return;
    }
    const SDL_Rect middle{r.x, r.y + radius, r.w, r.h - 2 * radius};
    const SDL_Rect top{r.x + radius, r.y, r.w - 2 * radius, radius};
    const SDL_Rect bottom{r.x + radius, r.y + r.h - radius, r.w - 2 * radius, radius};
    SDL_RenderFillRect(renderer_, &middle);
    SDL_RenderFillRect(renderer_, &top);
    SDL_RenderFillRect(renderer_, &bottom);
    SDL_SetTextureColorMod(circle_, c.r, c.g, c.b);
    SDL_SetTextureAlphaMod(circle_, a);
    const int half = circleSize_ / 2;
    const SDL_Rect srcs[4] = {
        {0, 0, half, half}, {half, 0, half, half}, {0, half, half, half}, {half, half, half, half}};
    const SDL_Rect dsts[4] = {{r.x, r.y, radius, radius},
                              {r.x + r.w - radius, r.y, radius, radius},
                              {r.x, r.y + r.h - radius, radius, radius},
                              {r.x + r.w - radius, r.y + r.h - radius, radius, radius}};
    for (int i = 0; i < 4; ++i) {
        SDL_RenderCopy(renderer_, circle_, &srcs[i], &dsts[i]);
    }
}

SDL_Texture* LayerRenderer::textTexture(const TextItem& item) {
    std::string key = item.text;
    key += '\x1f';
    key += std::to_string(item.px) + (item.role == FontRole::Bold ? "b" : "r") +
           std::to_string(item.color.r) + "," + std::to_string(item.color.g) + "," +
           std::to_string(item.color.b) + (item.rtl ? "R" : "L") + std::to_string(item.width);
    auto it = texts_.find(key);
    if (it == texts_.end()) {
        SDL_Surface* surface = text_.renderLine(item);
        SDL_Texture* texture = surface ? SDL_CreateTextureFromSurface(renderer_, surface) : nullptr;
        SDL_FreeSurface(surface);
        if (texture) {
            SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
        } else {
            logWarn("render", "cannot draw a line of text: " + std::string(SDL_GetError()));
        }
        it = texts_.emplace(std::move(key), CachedText{texture, false}).first;
    }
    it->second.used = true;
    return it->second.texture;
}

void LayerRenderer::drawText(const TextItem& item, double alpha) {
    SDL_Texture* texture = textTexture(item);
    if (!texture) {
        return;
    }
    int w = 0, h = 0;
    SDL_QueryTexture(texture, nullptr, nullptr, &w, &h);
    SDL_SetTextureAlphaMod(texture, scaled(item.color.a, alpha));
    const SDL_Rect dst{item.x, item.y, w, h};
    SDL_RenderCopy(renderer_, texture, nullptr, &dst);
}

void LayerRenderer::draw(const Layer& layer, double alpha) {
    if (alpha <= 0.0) {
        return;
    }
    for (const auto& box : layer.boxes) {
        fillRoundedRect(box.rect, box.radius, box.color, alpha);
    }
    for (const auto& avatar : layer.avatars) {
        fillRoundedRect(avatar.rect, avatar.rect.w / 2, avatar.fill, alpha);
    }
    for (const auto& item : layer.texts) {
        drawText(item, alpha);
    }
}

void LayerRenderer::endFrame() {
    for (auto it = texts_.begin(); it != texts_.end();) {
        if (!it->second.used) {
            SDL_DestroyTexture(it->second.texture);
            it = texts_.erase(it);
        } else {
            it->second.used = false;
            ++it;
        }
    }
}

} // namespace kiosk
