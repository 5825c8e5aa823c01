// Draws one frame of the wall: the chrome, the page of cards fading (or sliding) out, the page
// coming in, and the "up next" rail. Cards come ready from the CardPreparer when it has them;
// otherwise they are prepared here, inline. Each card, and the header and footer, is composed
// into one texture when it first shows; the chrome is laid out again only when it changes.
#pragma once

#include "kiosk/layout/Layout.h"
#include "kiosk/render/CardPreparer.h"
#include "kiosk/render/LayerRenderer.h"

#include <map>
#include <memory>
#include <string>

namespace kiosk {

enum class Transition { Fade, Slide, None };

struct WallFrame {
    std::vector<Post> page;
    std::vector<Post> previous;
    std::vector<Post> upNext; // the rail
    double progress = 1.0;    // of the transition from previous to page
    WallInfo info;
    UnixTime now = 0;
};

struct ViewOptions {
    ScreenOptions screen;
    Transition transition = Transition::Fade;
    // Cards and bands become textures on GPU renderers; on the software renderer (the dummy
    // driver, `kiosk shot`) only when this is set, as it costs memory there.
    bool composeInSoftware = false;
};

class WallView {
public:
    // preparer may be null: every card is then prepared inline (deterministic shots).
    WallView(SDL_Renderer* renderer, TextEngine& text, CardStyle style, ViewOptions options,
             MediaLookup media, CardPreparer* preparer);
    void draw(const WallFrame& frame, int width, int height);
    // The requests that prepare the cards of a page ahead of time.
    std::vector<CardRequest> requestsFor(const std::vector<Post>& page,
                                         const std::vector<Post>& rail, UnixTime now, int width,
                                         int height) const;
    std::size_t inlinePrepared() const { return inlinePrepared_; }
    std::size_t linesRenderedHere() const { return layers_.linesRendered(); }

    // Cards and bands drawn as one composed texture so far (tests and benchmarks).
    std::size_t composed() const { return composed_; }
    std::size_t quadsLastFrame() const { return layers_.quadsLastFrame(); }

private:
    const Layer& card(const Post& post, const Rect& slot, int radius, UnixTime now);
    void composeCard(PreparedCard& card, const Rect& slot, int radius);
    const Layer& chrome(const WallInfo& info, const ScreenLayout& screen, int width, int height);
    void drawBoxes(std::size_t count, const std::vector<Rect>& slots, int radius, int dx);
    void drawCards(const std::vector<Post>& page, const std::vector<Rect>& slots, int radius,
                   UnixTime now, double alpha, int dx);
    void drawPage(const std::vector<Post>& page, const std::vector<Rect>& slots, int radius,
                  UnixTime now, double alpha, int dx);
    // The page (and its transition) and the rail: everything but the chrome.
    void drawPosts(const WallFrame& frame, const ScreenLayout& screen, int width);

    TextEngine& text_;
    LayerRenderer layers_;
    CardStyle style_;
    ViewOptions options_;
    MediaLookup media_;
    CardPreparer* preparer_;
    std::map<std::string, std::unique_ptr<PreparedCard>> cards_; // by cardKey
    std::map<std::string, bool> usedThisFrame_;
    std::size_t inlinePrepared_ = 0;
    std::size_t composed_ = 0;
    // The chrome as last laid out, and for what: layout measures text and encodes the QR code,
    // which is too much work for every frame of a transition.
    WallInfo chromeInfo_;
    int chromeWidth_ = 0, chromeHeight_ = 0;
    Layer chrome_;
    Layer chromeKeep_; // composed into a band, kept decoded for the next layout: the logo
};

} // namespace kiosk
