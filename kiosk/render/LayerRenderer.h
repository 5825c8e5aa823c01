// Draws layout Layers onto an SDL_Renderer: anti-aliased rounded boxes from one generated
// circle texture, pictures and text lines as cached textures, QR codes as squares. Prepared
// cards hand over ready surfaces (adopt), so only the texture upload happens on this thread.
// Works the same on the GPU renderer of the wall and the software renderer of `kiosk shot`.
// Cards and the chrome's bands are composed once into textures (render targets): a transition
// frame is then a few quads, which is what a software GL (Mesa's llvmpipe) can afford at 60 fps.
#pragma once

#include "kiosk/layout/Layout.h"
#include "kiosk/render/CardPreparer.h"
#include "kiosk/render/TextEngine.h"

#include <cstdint>
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

    // The texture cache key of a line of text (same text, size, colour: same texture).
    static std::string textKey(const TextItem& item);

    void clear(Color background);
    // Turns a prepared card's surfaces into textures; the card keeps its layer.
    void adopt(PreparedCard& card);
    bool hasTexture(const std::string& key) const { return textures_.count(key) > 0; }
    // Lines of text drawn here rather than handed over ready (chrome, cards asked for late).
    std::size_t linesRendered() const { return linesRendered_; }
    // Takes ownership of surface (freed here) as the texture for key.
    void adoptSurface(const std::string& key, SDL_Surface* surface);
    // alpha in [0,1] fades the whole layer (transitions); dx shifts it (slides), dy too.
    void draw(const Layer& layer, double alpha, int dx = 0, int dy = 0);
    // Draws layer once into an opaque texture named key, on a ground of colour under, so a
    // frame draws it as one quad instead of item by item. The texture is canvas-sized (screen
    // coordinates) and the quad is its part under area: SDL's GL renderer keeps a framebuffer
    // per texture size, holding the last texture drawn into until another of that size comes,
    // so a size per card kept every card's pixels alive. (The software renderer gets area
    // alone.) False when the renderer cannot draw into textures: then draw the layer itself.
    bool compose(const std::string& key, const Rect& canvas, const Rect& area, Color under,
                 const Layer& layer);
    // Composes on SDL's software renderer too (tests); on a GPU renderer it always does.
    void composeInSoftware(bool on) { composeInSoftware_ = on; }
    // Frees layer's textures now (its items live on in a composed texture).
    void release(const Layer& layer);
    // Keeps layer's textures through the next endFrame() without drawing them.
    void keep(const Layer& layer);
    // Frees textures not drawn or kept since the previous call; call once per presented frame.
    void endFrame();
    // Fills and texture copies sent to the renderer in the frame endFrame() last closed.
    std::size_t quadsLastFrame() const { return quadsLastFrame_; }

private:
    struct Cached {
        SDL_Texture* texture = nullptr;
        bool used = false;
        bool opaque = false; // composed: drawn without blending when not fading
        Rect part;           // composed: the part of the texture drawn (else all of it)
    };
    void fillRoundedRect(const Rect& r, int radius, Color color, double alpha);
    void drawTexture(const std::string& key, const Rect& at, std::uint8_t alpha);
    void drawText(const TextItem& item, double alpha, int dx, int dy);
    void drawQr(const QrItem& qr, double alpha, int dx, int dy);
    SDL_Texture* textTexture(const TextItem& item);
    SDL_Texture* upload(const std::string& key, SDL_Surface* surface);

    SDL_Renderer* renderer_;
    TextEngine& text_;
    bool software_ = false; // SDL's software renderer: textures are plain memory
    bool composeInSoftware_ = false;
    SDL_Texture* circle_ = nullptr;
    int circleSize_ = 0;
    std::unordered_map<std::string, Cached> textures_;
    std::size_t linesRendered_ = 0;
    std::size_t quads_ = 0, quadsLastFrame_ = 0;
};

} // namespace kiosk
