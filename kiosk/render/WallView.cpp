// See WallView.h.
#include "kiosk/render/WallView.h"

#include "kiosk/base/Log.h"
#include "kiosk/layout/LayerGeometry.h"

#include <algorithm>
#include <cmath>

namespace kiosk {

WallView::WallView(SDL_Renderer* renderer, TextEngine& text, CardStyle style, ViewOptions options,
                   MediaLookup media, CardPreparer* preparer)
    : text_(text), layers_(renderer, text), style_(std::move(style)), options_(options),
      media_(std::move(media)), preparer_(preparer) {
    layers_.composeInSoftware(options_.composeInSoftware);
}

std::vector<CardRequest> WallView::requestsFor(const std::vector<Post>& page,
                                               const std::vector<Post>& rail, UnixTime now,
                                               int width, int height) const {
    const ScreenLayout screen = screenLayout(options_.screen, width, height);
    std::vector<CardRequest> out;
    for (std::size_t i = 0; i < page.size() && i < screen.slots.size(); ++i) {
        out.push_back({page[i], screen.slots[i], now});
    }
    for (std::size_t i = 0; i < rail.size() && i < screen.rail.size(); ++i) {
        out.push_back({rail[i], screen.rail[i], now});
    }
    return out;
}

const Layer& WallView::card(const Post& post, const Rect& slot, int radius, UnixTime now) {
    const std::string key = cardKey(post, slot, now);
    usedThisFrame_[key] = true;
    auto it = cards_.find(key);
    if (it == cards_.end()) {
        std::unique_ptr<PreparedCard> prepared = preparer_ ? preparer_->take(key) : nullptr;
        if (!prepared) {
            if (preparer_) {
                ++inlinePrepared_; // asked for too late; counted for the benchmarks
                logDebug("render", "card prepared on the frame path: " + post.id);
            }
            prepared = prepareCard({post, slot, now}, style_, text_, media_);
        }
        layers_.adopt(*prepared);
        composeCard(*prepared, slot, radius);
        it = cards_.emplace(key, std::move(prepared)).first;
    }
    return it->second->layer;
}

void WallView::composeCard(PreparedCard& card, const Rect& slot, int radius) {
    const auto bounds = layerBounds(card.layer);
    if (!bounds) {
        return;
    }
    // The card's own box goes into the texture under the items, so its pixels are the ones the
    // screen shows at rest; the box drawn on screen stays solid while the texture fades.
    Layer withBox;
    withBox.boxes.push_back({slot, style_.theme.card, radius});
    append(withBox, card.layer);
    const std::string key = "card\x1f" + card.key;
    // The slot as the canvas: every card of a layout then has the texture size of the last.
    const Rect canvas = contains(slot, *bounds) ? slot : *bounds;
    if (layers_.compose(key, canvas, *bounds, style_.theme.background, withBox)) {
        ++composed_;
        // The lines, avatar and picture are not drawn again: they would otherwise sit beside
        // the texture that holds them until the next frame.
        layers_.release(card.layer);
        card.layer = Layer{};
        card.layer.images.push_back({*bounds, key, false, 0});
    }
}

const Layer& WallView::chrome(const WallInfo& info, const ScreenLayout& screen, int width,
                              int height) {
    if (info == chromeInfo_ && width == chromeWidth_ && height == chromeHeight_) {
        return chrome_;
    }
    chromeInfo_ = info;
    chromeWidth_ = width;
    chromeHeight_ = height;
    Layer laid = layoutChrome(info, screen, style_.theme, width, text_);
    for (const auto& image : laid.images) {
        // The logo is decoded once per size, here: it is small and composed into the header.
        if (!layers_.hasTexture(image.key) && image.key.rfind("logo:", 0) == 0) {
            auto logo = loadImageCover(image.key.substr(5), image.rect.w, image.rect.h, false,
                                       style_.limits);
            if (logo) {
                layers_.adoptSurface(image.key, *logo);
            } else {
                logWarn("render", logo.error());
            }
        }
    }
    // The header and the footer each become one texture; what lies elsewhere (the rail's
    // title, the waiting card) is drawn item by item.
    chrome_ = Layer{};
    chromeKeep_ = Layer{};
    int band = 0;
    for (const Rect& area : {screen.header, screen.footer}) {
        auto [inside, outside] = splitLayer(laid, area);
        laid = std::move(outside);
        // compose() replaces the texture of the same name, so the old band goes with it.
        const std::string key = "band\x1f" + std::to_string(band++);
        if (!inside.boxes.empty() &&
            layers_.compose(key, area, area, style_.theme.background, inside)) {
            ++composed_;
            chrome_.images.push_back({area, key, false, 0});
            // The lines go; the logo stays decoded for the next layout (the clock changes it
            // every minute, and decoding is a file read on this thread).
            Layer lines;
            lines.texts = std::move(inside.texts);
            layers_.release(lines);
            chromeKeep_.images.insert(chromeKeep_.images.end(), inside.images.begin(),
                                      inside.images.end());
        } else {
            append(chrome_, inside);
        }
    }
    append(chrome_, laid);
    return chrome_;
}

void WallView::drawBoxes(std::size_t count, const std::vector<Rect>& slots, int radius, int dx) {
    // The boxes stay solid while their content fades, so the wall never flickers.
    Layer boxes;
    for (std::size_t i = 0; i < count && i < slots.size(); ++i) {
        boxes.boxes.push_back({slots[i], style_.theme.card, radius});
    }
    layers_.draw(boxes, 1.0, dx);
}

void WallView::drawCards(const std::vector<Post>& page, const std::vector<Rect>& slots, int radius,
                         UnixTime now, double alpha, int dx) {
    for (std::size_t i = 0; i < page.size() && i < slots.size(); ++i) {
        layers_.draw(card(page[i], slots[i], radius, now), alpha, dx);
    }
}

void WallView::drawPage(const std::vector<Post>& page, const std::vector<Rect>& slots, int radius,
                        UnixTime now, double alpha, int dx) {
    drawBoxes(page.size(), slots, radius, dx);
    drawCards(page, slots, radius, now, alpha, dx);
}

void WallView::draw(const WallFrame& frame, int width, int height) {
    usedThisFrame_.clear();
    const std::size_t linesBefore = layers_.linesRendered();
    const std::size_t cardsBefore = inlinePrepared_;
    const ScreenLayout screen = screenLayout(options_.screen, width, height);
    layers_.clear(style_.theme.background);
    WallInfo info = frame.info;
    info.waiting = frame.page.empty();
    layers_.draw(chrome(info, screen, width, height), 1.0);
    layers_.keep(chromeKeep_);
    // The setup card (in the chrome) takes the place of the posts until someone logs in; the
    // frame still ends as usual, so cards no longer drawn are let go.
    if (info.setupUrl.empty()) {
        drawPosts(frame, screen, width);
    }
    layers_.endFrame();
    if (layers_.linesRendered() != linesBefore || inlinePrepared_ != cardsBefore) {
        // The new lines are textures now; a CJK event name would otherwise keep two CJK
        // faces (about 5 MB) open on this thread for the whole event.
        text_.releaseGlyphs();
    }
    for (auto it = cards_.begin(); it != cards_.end();) {
        it = usedThisFrame_.count(it->first) ? std::next(it) : cards_.erase(it);
    }
}

void WallView::drawPosts(const WallFrame& frame, const ScreenLayout& screen, int width) {
    const auto smooth = [](double x) {
        x = std::clamp(x, 0.0, 1.0);
        return x * x * (3 - 2 * x);
    };
    const double p = frame.previous.empty() ? 1.0 : frame.progress;
    const int big = int(std::lround(36 * screen.scale));
    if (options_.transition == Transition::Slide && !frame.previous.empty() && p < 1.0) {
        // The old page leaves to the left while the new one comes in from the right.
        const double e = smooth(p);
        const int shift = int(std::lround(e * width));
        drawPage(frame.previous, screen.slots, big, frame.now, 1.0, -shift);
        drawPage(frame.page, screen.slots, big, frame.now, 1.0, width - shift);
    } else {
        // The outgoing text fades out before the incoming text fades in: two posts on top of
        // each other at half strength are unreadable.
        // Both pages share the boxes, drawn once underneath: a box drawn for the incoming page
        // on top of the outgoing text cut the fade out off.
        const bool outgoing = !frame.previous.empty() && p < 0.5;
        drawBoxes(std::max(frame.page.size(), outgoing ? frame.previous.size() : 0), screen.slots,
                  big, 0);
        if (outgoing) {
            drawCards(frame.previous, screen.slots, big, frame.now, 1.0 - smooth(p * 2), 0);
        }
        drawCards(frame.page, screen.slots, big, frame.now, smooth(p * 2 - 1), 0);
    }
    drawPage(frame.upNext, screen.rail, int(std::lround(24 * screen.scale)), frame.now, 1.0, 0);
}

} // namespace kiosk
