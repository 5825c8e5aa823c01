// See LayerGeometry.h.
#include "kiosk/layout/LayerGeometry.h"

#include <algorithm>

namespace kiosk {
namespace {

Rect textRect(const TextItem& t) {
    return {t.x, t.y, t.width, t.height};
}

void grow(std::optional<Rect>& into, const Rect& r) {
    if (r.w <= 0 || r.h <= 0) {
        return;
    }
    if (!into) {
        into = r;
        return;
    }
    const int x0 = std::min(into->x, r.x), y0 = std::min(into->y, r.y);
    const int x1 = std::max(into->x + into->w, r.x + r.w);
    const int y1 = std::max(into->y + into->h, r.y + r.h);
    into = Rect{x0, y0, x1 - x0, y1 - y0};
}

} // namespace

std::optional<Rect> layerBounds(const Layer& layer) {
    std::optional<Rect> out;
    for (const auto& b : layer.boxes) {
        grow(out, b.rect);
    }
    for (const auto& i : layer.images) {
        grow(out, i.rect);
    }
    for (const auto& t : layer.texts) {
        grow(out, textRect(t));
    }
    for (const auto& q : layer.qrs) {
        grow(out, q.rect);
    }
    return out;
}

bool contains(const Rect& outer, const Rect& inner) {
    return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w &&
           inner.y + inner.h <= outer.y + outer.h;
}

std::pair<Layer, Layer> splitLayer(const Layer& layer, const Rect& area) {
    std::pair<Layer, Layer> out;
    for (const auto& b : layer.boxes) {
        (contains(area, b.rect) ? out.first : out.second).boxes.push_back(b);
    }
    for (const auto& i : layer.images) {
        (contains(area, i.rect) ? out.first : out.second).images.push_back(i);
    }
    for (const auto& t : layer.texts) {
        (contains(area, textRect(t)) ? out.first : out.second).texts.push_back(t);
    }
    for (const auto& q : layer.qrs) {
        (contains(area, q.rect) ? out.first : out.second).qrs.push_back(q);
    }
    return out;
}

void append(Layer& into, const Layer& from) {
    into.boxes.insert(into.boxes.end(), from.boxes.begin(), from.boxes.end());
    into.images.insert(into.images.end(), from.images.begin(), from.images.end());
    into.texts.insert(into.texts.end(), from.texts.begin(), from.texts.end());
    into.qrs.insert(into.qrs.end(), from.qrs.begin(), from.qrs.end());
}

} // namespace kiosk
