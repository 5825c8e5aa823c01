// Where a layer's items lie, so the renderer can compose a card or a band of the chrome into one
// texture: the bounding rectangle of everything drawn, and a layer cut in two along a rectangle.
#pragma once

#include "kiosk/layout/Layout.h"

#include <optional>
#include <utility>

namespace kiosk {

// The smallest rectangle holding every item; nullopt for an empty layer. Text lines count with
// their measured width and line height.
std::optional<Rect> layerBounds(const Layer& layer);

bool contains(const Rect& outer, const Rect& inner);

// The items lying wholly inside area (first) and the others (second), each in its own order.
std::pair<Layer, Layer> splitLayer(const Layer& layer, const Rect& area);

// Adds from's items after into's, kind by kind (boxes stay under pictures, pictures under text).
void append(Layer& into, const Layer& from);

} // namespace kiosk
