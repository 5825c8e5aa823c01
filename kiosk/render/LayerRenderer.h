// Draws layout Layers onto an SDL_Renderer: anti-aliased rounded boxes and avatar discs from
// one generated circle texture, text lines as cached textures. Works the same on the GPU
// renderer of the wall and the software renderer of `kiosk shot`.
#pragma once

#include "kiosk/core/Layout.h"
#include "kiosk/render/TextEngine.h"

#include <string>
#include <unordered_map>

struct SDL_Renderer;
struct SDL_Texture;

namespace kiosk {

class LayerRenderer {
public:
    LayerRenderer(SDL_Renderer* renderer, TextEngine& text);
    ~LayerRenderer();
    LayerRenderer(const LayerRenderer&) = delete;
    LayerRenderer& operator=(const LayerRenderer&) = delete;

    void clear(Color background);
    // alpha in [0,1] fades the whole layer (transitions).
    void draw(const Layer& layer, double alpha);
    // Frees text textures not drawn since the previous call; call once per presented frame.
    void endFrame();

private:
    struct CachedText {
        SDL_Texture* texture = nullptr;
        bool used = false;
    };
    void fillRoundedRect(const Rect& r, int radius, Color color, double alpha);
    void drawText(const TextItem& item, double alpha);
    SDL_Texture* textTexture(const TextItem& item);

    SDL_Renderer* renderer_;
    TextEngine& text_;
    SDL_Texture* circle_ = nullptr;
    int circleSize_ = 0;
    std::unordered_map<std::string, CachedText> texts_;
};

} // namespace kiosk
