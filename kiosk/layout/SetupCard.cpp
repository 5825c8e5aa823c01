// See SetupCard.h.
#include "kiosk/layout/SetupCard.h"

#include "kiosk/layout/Qr.h"
#include "kiosk/text/TextWrap.h"

#include <algorithm>
#include <cmath>

namespace kiosk {

void layoutSetupCard(Layer& layer, const std::string& setupUrl, const Rect& slot,
                     const Theme& theme, double scale, TextMeasurer& measure) {
    const auto px = [scale](double v) { return std::max(1, int(std::lround(v * scale))); };
    const int pad = px(56);
    // The QR code as large as the card's height allows, on the right: scanned from a few metres.
    const int side = std::min(slot.h - 2 * pad, slot.w / 2 - pad);
    int textRight = slot.x + slot.w - pad;
    if (auto qr = makeQr(setupUrl); qr && side > 0) {
        QrItem item;
        item.modules = qr->modules;
        item.dark = std::move(qr->dark);
        item.rect = {slot.x + slot.w - pad - side, slot.y + (slot.h - side) / 2, side, side};
        item.ink = {0, 0, 0, 255};
        item.paper = {255, 255, 255, 255};
        textRight = item.rect.x - pad;
        layer.qrs.push_back(std::move(item));
    }
    const int width = std::max(1, textRight - slot.x - pad);
    const std::string address = setupUrl.substr(0, setupUrl.find('#'));
    struct Line {
        std::string text;
        FontRole role;
        int size;
        Color color;
        int gapAfter;
    };
    const Line lines[] = {
        {"Set up this wall", FontRole::Bold, px(72), theme.text, px(36)},
        {"Scan the code with your phone to open the control page.", FontRole::Regular, px(44),
         theme.text, px(16)},
        {"The code works once; then this card goes.", FontRole::Regular, px(44), theme.muted,
         px(36)},
        {"Control page:", FontRole::Regular, px(40), theme.muted, px(8)},
        {address, FontRole::Bold, px(48), theme.accent, 0},
    };
    // Laid out from the top, then the whole block is centred in the card.
    std::vector<TextItem> items;
    int y = 0;
    for (const Line& line : lines) {
        for (const auto& wrapped : wrapText(line.text, width, measure, line.role, line.size)) {
            TextItem t =
                textAt(measure, wrapped.text, line.role, line.size, line.color, slot.x + pad, y);
            y += t.height;
            items.push_back(std::move(t));
        }
        y += line.gapAfter;
    }
    const int top = slot.y + std::max(pad, (slot.h - y) / 2);
    for (auto& t : items) {
        t.y += top;
        layer.texts.push_back(std::move(t));
    }
}

} // namespace kiosk
