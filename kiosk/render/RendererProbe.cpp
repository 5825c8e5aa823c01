// See RendererProbe.h.
#include "kiosk/render/RendererProbe.h"

#include "kiosk/render/RendererChoice.h"

#include <SDL.h>

namespace kiosk {
namespace {

// A 16x16 texture of one colour, made the way text lines and pictures are (from a surface).
SDL_Texture* solidTexture(SDL_Renderer* renderer, Color c) {
    SDL_Surface* s = SDL_CreateRGBSurfaceWithFormat(0, 16, 16, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s) {
        return nullptr;
    }
    SDL_FillRect(s, nullptr, SDL_MapRGBA(s->format, c.r, c.g, c.b, c.a));
    SDL_Texture* t = SDL_CreateTextureFromSurface(renderer, s);
    SDL_FreeSurface(s);
    return t;
}

void setColor(SDL_Renderer* renderer, Color c) {
    SDL_SetRenderDrawColor(renderer, c.r, c.g, c.b, c.a);
}

// Draws every part of the check picture; what SDL refused, if it refused a call.
std::optional<std::string> drawCheckPicture(SDL_Renderer* renderer) {
    const auto& s = probeSamples();
    SDL_SetRenderDrawBlendMode(renderer, SDL_BLENDMODE_NONE);
    setColor(renderer, s[0].expect);
    SDL_RenderClear(renderer);
    setColor(renderer, s[1].expect);
    const SDL_Rect rect{4, 4, 16, 16};
    SDL_RenderFillRect(renderer, &rect);

    SDL_Texture* opaque = solidTexture(renderer, s[2].expect);
    SDL_Texture* half = solidTexture(renderer, {240, 240, 240, 128});
    SDL_Texture* target = nullptr;
    if (SDL_RenderTargetSupported(renderer)) {
        target =
            SDL_CreateTexture(renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET, 16, 16);
    }
    std::optional<std::string> refused;
    if (!opaque || !half) {
        refused = std::string("cannot make a texture: ") + SDL_GetError();
    } else if (!target) {
        refused = std::string("no render targets: ") + SDL_GetError();
    } else if (SDL_SetRenderTarget(renderer, target) != 0) {
        refused = std::string("cannot draw into a texture: ") + SDL_GetError();
    } else {
        setColor(renderer, s[4].expect);
        SDL_RenderClear(renderer);
        SDL_SetRenderTarget(renderer, nullptr);
        const SDL_Rect a{20, 4, 16, 16}, b{36, 4, 16, 16}, c{52, 4, 16, 16};
        SDL_SetTextureBlendMode(opaque, SDL_BLENDMODE_NONE);
        SDL_RenderCopy(renderer, opaque, nullptr, &a);
        SDL_SetTextureBlendMode(half, SDL_BLENDMODE_BLEND);
        SDL_RenderCopy(renderer, half, nullptr, &b);
        SDL_SetTextureBlendMode(target, SDL_BLENDMODE_NONE);
        SDL_RenderCopy(renderer, target, nullptr, &c);
    }
    SDL_DestroyTexture(opaque);
    SDL_DestroyTexture(half);
    SDL_DestroyTexture(target);
    return refused;
}

} // namespace

std::optional<std::string> checkRendererDraws(SDL_Renderer* renderer) {
    // Drawn at 1:1 whatever the window's logical size or scale is.
    SDL_RenderSetLogicalSize(renderer, 0, 0);
    SDL_RenderSetScale(renderer, 1.0f, 1.0f);
    auto failure = drawCheckPicture(renderer);
    std::vector<Color> readBack;
    for (const auto& sample : probeSamples()) {
        if (failure) {
            break;
        }
        Uint32 pixel = 0;
        const SDL_Rect at{sample.x, sample.y, 1, 1};
        if (SDL_RenderReadPixels(renderer, &at, SDL_PIXELFORMAT_ARGB8888, &pixel, 4) != 0) {
            failure = std::string("cannot read pixels back: ") + SDL_GetError();
            break;
        }
        readBack.push_back({Uint8(pixel >> 16), Uint8(pixel >> 8), Uint8(pixel), 255});
    }
    if (!failure) {
        failure = compareProbe(probeSamples(), readBack);
    }
    SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
    SDL_RenderClear(renderer);
    return failure;
}

} // namespace kiosk
