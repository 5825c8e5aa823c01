// See LayerRenderer.h.
#include "kiosk/render/LayerRenderer.h"

#include "kiosk/base/Log.h"

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
    SDL_RendererInfo info{};
    software_ = SDL_GetRendererInfo(renderer_, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
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
    for (auto& [key, cached] : textures_) {
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
    // An opaque fill replaces what is under it: no blending, which a software GL pays for.
    SDL_SetRenderDrawBlendMode(renderer_, a == 255 ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(renderer_, c.r, c.g, c.b, a);
    if (radius <= 0 || !circle_) {
        SDL_Rect rect{r.x, r.y, r.w, r.h};
        SDL_RenderFillRect(renderer_, &rect);
        ++quads_;
        return;
    }
    const SDL_Rect middle{r.x, r.y + radius, r.w, r.h - 2 * radius};
    const SDL_Rect top{r.x + radius, r.y, r.w - 2 * radius, radius};
    const SDL_Rect bottom{r.x + radius, r.y + r.h - radius, r.w - 2 * radius, radius};
    SDL_RenderFillRect(renderer_, &middle);
    SDL_RenderFillRect(renderer_, &top);
    SDL_RenderFillRect(renderer_, &bottom);
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
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
    quads_ += 7;
}

std::string LayerRenderer::textKey(const TextItem& item) {
    std::string key = item.text;
    key += '\x1f';
    key += std::to_string(item.px) + (item.role == FontRole::Bold ? "b" : "r") +
           std::to_string(item.color.r) + "," + std::to_string(item.color.g) + "," +
           std::to_string(item.color.b) + (item.rtl ? "R" : "L") + std::to_string(item.width);
    for (const auto& image : item.inlineImages) {
        key += '\x1f' + image; // the same characters may stand for other pictures elsewhere
    }
    return key;
}

SDL_Texture* LayerRenderer::upload(const std::string& key, SDL_Surface* surface) {
    SDL_Texture* texture = surface ? SDL_CreateTextureFromSurface(renderer_, surface) : nullptr;
    if (texture) {
        SDL_SetTextureBlendMode(texture, SDL_BLENDMODE_BLEND);
    } else {
        logWarn("render", "cannot make a texture: " + std::string(SDL_GetError()));
    }
    auto& slot = textures_[key];
    SDL_DestroyTexture(slot.texture);
    slot = {texture, true, false, {}};
    return texture;
}

void LayerRenderer::adoptSurface(const std::string& key, SDL_Surface* surface) {
    upload(key, surface);
    SDL_FreeSurface(surface);
}

void LayerRenderer::adopt(PreparedCard& card) {
    for (auto& [key, surface] : card.surfaces) {
        upload(key, surface);
        SDL_FreeSurface(surface);
    }
    card.surfaces.clear();
}

SDL_Texture* LayerRenderer::textTexture(const TextItem& item) {
    const std::string key = textKey(item);
    auto it = textures_.find(key);
    if (it != textures_.end()) {
        it->second.used = true;
        return it->second.texture;
    }
    // Not prepared ahead (chrome, or a card asked for too late): render it now.
    ++linesRendered_;
    SDL_Surface* surface = text_.renderLine(item);
    SDL_Texture* texture = upload(key, surface);
    SDL_FreeSurface(surface);
    return texture;
}

void LayerRenderer::drawTexture(const std::string& key, const Rect& at, std::uint8_t alpha) {
    auto it = textures_.find(key);
    if (it == textures_.end() || !it->second.texture) {
        return; // a picture that could not be prepared is simply not drawn
    }
    it->second.used = true;
    SDL_SetTextureBlendMode(it->second.texture, it->second.opaque && alpha == 255
                                                    ? SDL_BLENDMODE_NONE
                                                    : SDL_BLENDMODE_BLEND);
    SDL_SetTextureAlphaMod(it->second.texture, alpha);
    const SDL_Rect dst{at.x, at.y, at.w, at.h};
    const Rect& p = it->second.part;
    const SDL_Rect part{p.x, p.y, p.w, p.h};
    SDL_RenderCopy(renderer_, it->second.texture, p.w > 0 ? &part : nullptr, &dst);
    ++quads_;
}

void LayerRenderer::drawText(const TextItem& item, double alpha, int dx, int dy) {
    SDL_Texture* texture = textTexture(item);
    if (!texture) {
        return;
    }
    int w = 0, h = 0;
    SDL_QueryTexture(texture, nullptr, nullptr, &w, &h);
    SDL_SetTextureAlphaMod(texture, scaled(item.color.a, alpha));
    const SDL_Rect dst{item.x + dx, item.y + dy, w, h};
    SDL_RenderCopy(renderer_, texture, nullptr, &dst);
    ++quads_;
}

void LayerRenderer::drawQr(const QrItem& qr, double alpha, int dx, int dy) {
    const int total = qr.modules + 4; // two modules of quiet zone on each side
    const int cell = std::max(1, qr.rect.w / total);
    const int side = cell * total;
    const int x0 = qr.rect.x + dx + (qr.rect.w - side) / 2;
    const int y0 = qr.rect.y + dy + (qr.rect.h - side) / 2;
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_BLEND);
    SDL_SetRenderDrawColor(renderer_, qr.paper.r, qr.paper.g, qr.paper.b, scaled(255, alpha));
    const SDL_Rect paper{x0, y0, side, side};
    SDL_RenderFillRect(renderer_, &paper);
    std::vector<SDL_Rect> dark;
    for (int y = 0; y < qr.modules; ++y) {
        for (int x = 0; x < qr.modules; ++x) {
            if (qr.dark[std::size_t(y * qr.modules + x)]) {
                dark.push_back({x0 + (x + 2) * cell, y0 + (y + 2) * cell, cell, cell});
            }
        }
    }
    SDL_SetRenderDrawColor(renderer_, qr.ink.r, qr.ink.g, qr.ink.b, scaled(255, alpha));
    SDL_RenderFillRects(renderer_, dark.data(), int(dark.size()));
    quads_ += 1 + dark.size();
}

void LayerRenderer::release(const Layer& layer) {
    const auto drop = [this](const std::string& key) {
        if (auto it = textures_.find(key); it != textures_.end()) {
            SDL_DestroyTexture(it->second.texture);
            textures_.erase(it);
        }
    };
    for (const auto& image : layer.images) {
        drop(image.key);
    }
    for (const auto& item : layer.texts) {
        drop(textKey(item));
    }
}

void LayerRenderer::keep(const Layer& layer) {
    for (const auto& image : layer.images) {
        if (auto it = textures_.find(image.key); it != textures_.end()) {
            it->second.used = true;
        }
    }
    for (const auto& item : layer.texts) {
        if (auto it = textures_.find(textKey(item)); it != textures_.end()) {
            it->second.used = true;
        }
    }
}

void LayerRenderer::draw(const Layer& layer, double alpha, int dx, int dy) {
    if (alpha <= 0.0) {
        // Invisible for now (the incoming card waits for the outgoing one to fade out), but
        // its textures stay: dropping them here had the frame thread draw every line again.
        keep(layer);
        return;
    }
    for (const auto& box : layer.boxes) {
        Rect r = box.rect;
        r.x += dx;
        r.y += dy;
        fillRoundedRect(r, box.radius, box.color, alpha);
    }
    for (const auto& image : layer.images) {
        Rect r = image.rect;
        r.x += dx;
        r.y += dy;
        drawTexture(image.key, r, scaled(255, alpha));
    }
    for (const auto& item : layer.texts) {
        drawText(item, alpha, dx, dy);
    }
    for (const auto& qr : layer.qrs) {
        drawQr(qr, alpha, dx, dy);
    }
}

bool LayerRenderer::compose(const std::string& key, const Rect& canvasWanted, const Rect& area,
                            Color under, const Layer& layer) {
    // SDL's software renderer has no framebuffers to keep textures alive, and there every pixel
    // of a texture is the process's memory: it gets the area alone, and only when asked, as a
    // composed card is bigger than its lines (scripts/bench-wall's 48 MB PSS budget).
    const Rect canvas = software_ ? area : canvasWanted;
    if ((software_ && !composeInSoftware_) || canvas.w <= 0 || canvas.h <= 0 ||
        !SDL_RenderTargetSupported(renderer_)) {
        return false;
    }
    SDL_Texture* target = SDL_CreateTexture(renderer_, SDL_PIXELFORMAT_ARGB8888,
                                            SDL_TEXTUREACCESS_TARGET, canvas.w, canvas.h);
    if (!target || SDL_SetRenderTarget(renderer_, target) != 0) {
        logWarn("render", "cannot compose into a texture, drawing item by item: " +
                              std::string(SDL_GetError()));
        SDL_DestroyTexture(target);
        return false;
    }
    // The ground is what lies under the area on screen, so the texture's pixels are exactly
    // what drawing the items there would give, rounded corners included.
    SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
    SDL_SetRenderDrawColor(renderer_, under.r, under.g, under.b, 255);
    SDL_RenderClear(renderer_);
    const std::size_t framesQuads = quads_;
    draw(layer, 1.0, -canvas.x, -canvas.y);
    quads_ = framesQuads; // drawn once into the texture, not on every frame
    SDL_SetRenderTarget(renderer_, nullptr);
    SDL_SetTextureBlendMode(target, SDL_BLENDMODE_BLEND);
    auto& slot = textures_[key];
    SDL_DestroyTexture(slot.texture);
    slot = {target, true, true, {area.x - canvas.x, area.y - canvas.y, area.w, area.h}};
    return true;
}

void LayerRenderer::endFrame() {
    quadsLastFrame_ = quads_;
    quads_ = 0;
    for (auto it = textures_.begin(); it != textures_.end();) {
        if (!it->second.used) {
            SDL_DestroyTexture(it->second.texture);
            it = textures_.erase(it);
        } else {
            it->second.used = false;
            ++it;
        }
    }
}

} // namespace kiosk
