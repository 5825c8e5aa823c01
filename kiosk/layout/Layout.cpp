// Where things go on the screen. Sizes scale with the screen (1 at 1920x1080) so 1280x800,
// 1024x768 and 4K look alike; margins grow with the configured overscan.
#include "kiosk/layout/Layout.h"

#include "kiosk/layout/Qr.h"
#include "kiosk/layout/SetupCard.h"
#include "kiosk/text/TextWrap.h"

#include <algorithm>
#include <cmath>

namespace kiosk {
namespace {

int px(double v, double s) {
    return std::max(1, int(std::lround(v * s)));
}

// Columns and rows for n cards: the arrangement whose cells come closest to a 16:10 card.
std::pair<int, int> gridShape(int n, int w, int h) {
    std::pair<int, int> best{n, 1};
    double bestScore = -1;
    for (int cols = 1; cols <= n; ++cols) {
        const int rows = (n + cols - 1) / cols;
        const double cellW = double(w) / cols, cellH = double(h) / rows;
        const double score = std::min(cellW / 1.6, cellH) - 0.01 * (cols * rows - n) * cellH;
        if (score > bestScore) {
            bestScore = score;
            best = {cols, rows};
        }
    }
    return best;
}

} // namespace

TextItem textAt(TextMeasurer& m, std::string text, FontRole role, int size, Color color, int x,
                int y) {
    TextItem t;
    t.width = m.width(text, role, size);
    t.height = m.lineHeight(role, size);
    t.text = std::move(text);
    t.role = role;
    t.px = size;
    t.color = color;
    t.x = x;
    t.y = y;
    return t;
}

std::size_t cardsPerPage(const ScreenOptions& o) {
    return o.kind == LayoutKind::Grid ? std::size_t(std::clamp(o.gridCards, 2, 6)) : 1;
}

ScreenLayout screenLayout(const ScreenOptions& o, int width, int height) {
    ScreenLayout l;
    l.scale = std::min(width / 1920.0, height / 1080.0);
    const double s = l.scale;
    const int ox = int(std::lround(o.overscan * width));
    const int oy = int(std::lround(o.overscan * height));
    l.margin = px(40, s);
    l.header = {0, 0, width, px(120, s) + oy};
    l.footer = {0, height - px(150, s) - oy, width, px(150, s) + oy};
    const Rect area{ox + l.margin, l.header.h + l.margin, width - 2 * (ox + l.margin),
                    l.footer.y - l.margin - (l.header.h + l.margin)};
    const int gap = px(32, s);
    if (o.kind == LayoutKind::Spotlight) {
        l.slots.push_back(area);
    } else if (o.kind == LayoutKind::Grid) {
        const int n = std::clamp(o.gridCards, 2, 6);
        const auto [cols, rows] = gridShape(n, area.w, area.h);
        const int cw = (area.w - gap * (cols - 1)) / cols;
        const int ch = (area.h - gap * (rows - 1)) / rows;
        for (int i = 0; i < n; ++i) {
            l.slots.push_back(
                {area.x + (i % cols) * (cw + gap), area.y + (i / cols) * (ch + gap), cw, ch});
        }
    } else {
        const int railW = std::max(px(300, s), area.w * 30 / 100);
        l.slots.push_back({area.x, area.y, area.w - railW - gap, area.h});
        l.railTitle = {area.x + area.w - railW, area.y, railW, px(52, s)};
        const int n = std::clamp(o.railCards, 1, 5);
        const int top = l.railTitle.y + l.railTitle.h;
        const int rgap = px(20, s);
        const int rh = (area.y + area.h - top - rgap * (n - 1)) / n;
        for (int i = 0; i < n; ++i) {
            l.rail.push_back({l.railTitle.x, top + i * (rh + rgap), railW, rh});
        }
    }
    return l;
}

Layer layoutChrome(const WallInfo& info, const ScreenLayout& screen, const Theme& theme, int width,
                   TextMeasurer& m) {
    const double s = screen.scale;
    const int inset = screen.slots.empty() ? screen.margin : screen.slots.front().x;
    Layer layer;
    layer.boxes.push_back({screen.header, theme.header, 0});
    layer.boxes.push_back({screen.footer, theme.header, 0});
    // Card boxes belong to the cards (they slide with them); only the empty wall has one here.
    if ((info.waiting || !info.setupUrl.empty()) && !screen.slots.empty()) {
        layer.boxes.push_back({screen.slots.front(), theme.card, px(36, s)});
    }

    // Header: event name on the left; hashtags and the clock on the right.
    const int headerMid = screen.header.y + screen.header.h - px(60, s);
    const auto centred = [&](TextItem t) {
        t.y = headerMid - t.height / 2;
        return t;
    };
    int right = width - inset;
    if (!info.clock.empty()) {
        TextItem clock =
            centred(textAt(m, info.clock, FontRole::Bold, px(52, s), theme.text, 0, 0));
        clock.x = right - clock.width;
        right = clock.x - px(40, s);
        layer.texts.push_back(std::move(clock));
    }
    std::string tags;
    for (const auto& tag : info.hashtags) {
        tags += (tags.empty() ? "#" : "   #") + tag;
    }
    const int tagsPx = px(44, s);
    const int tagsWidth = std::min(m.width(tags, FontRole::Regular, tagsPx), (right - inset) / 2);
    if (!tags.empty()) {
        TextItem t = centred(textAt(m, ellipsize(tags, tagsWidth, m, FontRole::Regular, tagsPx),
                                    FontRole::Regular, tagsPx, theme.accent, 0, 0));
        t.x = right - t.width;
        right = t.x - px(40, s);
        layer.texts.push_back(std::move(t));
    }
    int left = inset;
    if (!info.logo.empty() && info.logoAspect > 0) {
        const int logoH = px(80, s);
        const int logoW = std::min(int(std::lround(logoH * info.logoAspect)), px(400, s));
        layer.images.push_back(
            {{left, headerMid - logoH / 2, logoW, logoH}, "logo:" + info.logo, false, 0});
        left += logoW + px(28, s);
    }
    const int titlePx = px(56, s);
    layer.texts.push_back(
        centred(textAt(m, ellipsize(info.eventName, right - left, m, FontRole::Bold, titlePx),
                       FontRole::Bold, titlePx, theme.text, left, 0)));

    // Footer: the call to action with its QR code, or the offline notice instead (unless the QR
    // leads to the wall's own attendee page, which needs no internet).
    // Centred in the part of the band that overscan does not hide.
    const int footerMid = screen.footer.y + px(75, s);
    int footerRight = width - inset;
    const bool showCallToAction = !info.offline || info.qrWorksOffline;
    if (showCallToAction && !info.qrUrl.empty()) {
        if (auto qr = makeQr(info.qrUrl)) {
            const int side = px(130, s); // quiet zone included (the renderer keeps 2 modules white)
            QrItem item;
            item.modules = qr->modules;
            item.dark = std::move(qr->dark);
            item.rect = {footerRight - side, footerMid - side / 2, side, side};
            item.ink = {0, 0, 0, 255};
            item.paper = {255, 255, 255, 255};
            footerRight = item.rect.x - px(32, s);
            layer.qrs.push_back(std::move(item));
        }
    }
    if (!info.notice.empty()) {
        const int notePx = px(36, s);
        TextItem note =
            textAt(m, ellipsize("⚠ " + info.notice, footerRight - inset, m, FontRole::Bold, notePx),
                   FontRole::Bold, notePx, theme.warning, inset, 0);
        note.y = footerMid - note.height / 2;
        layer.texts.push_back(std::move(note));
    } else if (!showCallToAction) {
        const int notePx = px(36, s);
        // With nothing saved yet there is nothing to show: say what the wall waits for.
        TextItem note = textAt(m,
                               info.waiting ? "● offline: waiting for the network"
                                            : "● offline: showing the posts saved on this wall",
                               FontRole::Regular, notePx, theme.muted, inset, 0);
        note.y = footerMid - note.height / 2;
        layer.texts.push_back(std::move(note));
    } else if (!info.callToAction.empty()) {
        const int ctaPx = px(52, s);
        TextItem cta =
            textAt(m, ellipsize(info.callToAction, footerRight - inset, m, FontRole::Bold, ctaPx),
                   FontRole::Bold, ctaPx, theme.accent, inset, 0);
        cta.y = footerMid - cta.height / 2;
        layer.texts.push_back(std::move(cta));
    }

    if (!screen.rail.empty()) {
        const int railPx = px(34, s);
        TextItem title = textAt(m, "Up next", FontRole::Bold, railPx, theme.muted,
                                screen.railTitle.x + px(8, s), screen.railTitle.y);
        layer.texts.push_back(std::move(title));
    }
    if (!info.setupUrl.empty() && !screen.slots.empty()) {
        layoutSetupCard(layer, info.setupUrl, screen.slots.front(), theme, s, m);
    } else if (info.waiting && !screen.slots.empty()) {
        const Rect& slot = screen.slots.front();
        TextItem t = textAt(m, "Waiting for the first posts…", FontRole::Regular, px(56, s),
                            theme.muted, 0, 0);
        t.x = slot.x + std::max(0, (slot.w - t.width) / 2);
        t.y = slot.y + (slot.h - t.height) / 2;
        layer.texts.push_back(std::move(t));
    }
    return layer;
}

} // namespace kiosk
