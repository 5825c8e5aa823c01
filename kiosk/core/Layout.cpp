// Spotlight layout: a header band (event, hashtags), one large card, a footer band (call to
// action). Sizes scale with the screen so 1920x1080 and 1280x800 look alike.
#include "kiosk/core/Layout.h"

#include "kiosk/core/TextWrap.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>

namespace kiosk {
namespace {

struct Scale {
    double s;
    int operator()(double v) const { return std::max(1, int(std::lround(v * s))); }
};

Scale scaleFor(int width, int height) {
    return {std::min(width / 1920.0, height / 1080.0)};
}

TextItem line(TextMeasurer& m, std::string text, FontRole role, int px, Color color, int x, int y) {
    TextItem t;
    t.width = m.width(text, role, px);
    t.height = m.lineHeight(role, px);
    t.text = std::move(text);
    t.role = role;
    t.px = px;
    t.color = color;
    t.x = x;
    t.y = y;
    return t;
}

std::string metaLine(const Post& post, UnixTime now) {
    std::string meta = post.author.handle;
    const auto add = [&meta](const std::string& part) {
        if (!part.empty()) {
            meta += (meta.empty() ? "" : "  ·  ") + part;
        }
    };
    add(sourceDisplayName(post.source));
    add(relativeTime(now, post.createdAt));
    return meta;
}

// Places fitted lines in a box, vertically centred, right-aligning right-to-left paragraphs.
void placeLines(Layer& layer, TextMeasurer& m, const FittedText& fit, Rect box, Color color) {
    const int lh = m.lineHeight(FontRole::Regular, fit.px);
    int y = box.y + std::max(0, (box.h - lh * int(fit.lines.size())) / 2);
    for (const auto& wrapped : fit.lines) {
        TextItem t = line(m, wrapped.text, FontRole::Regular, fit.px, color, box.x, y);
        t.rtl = wrapped.rtl;
        if (t.rtl) {
            t.x = box.x + box.w - t.width;
        }
        layer.texts.push_back(std::move(t));
        y += lh;
    }
}

} // namespace

CardMetrics cardMetrics(int width, int height) {
    const Scale s = scaleFor(width, height);
    const int margin = s(48);
    const int headerH = s(120), footerH = s(104);
    CardMetrics c;
    c.card = {margin, headerH + margin, width - 2 * margin,
              height - headerH - footerH - 2 * margin};
    c.bodyMinPx = s(32);
    c.bodyMaxPx = s(84);
    return c;
}

Layer layoutChrome(const WallInfo& info, const Theme& theme, int width, int height,
                   TextMeasurer& m) {
    const Scale s = scaleFor(width, height);
    const int margin = s(48);
    const int headerH = s(120), footerH = s(104);
    Layer layer;
    layer.boxes.push_back({{0, 0, width, headerH}, theme.header, 0});
    layer.boxes.push_back({{0, height - footerH, width, footerH}, theme.header, 0});
    const CardMetrics metrics = cardMetrics(width, height);
    layer.boxes.push_back({metrics.card, theme.card, s(36)});

    const int titlePx = s(56);
    std::string tags;
    for (const auto& tag : info.hashtags) {
        tags += (tags.empty() ? "#" : "   #") + tag;
    }
    const int tagsPx = s(44);
    const int tagsWidth = std::min(m.width(tags, FontRole::Regular, tagsPx), width / 2 - margin);
    const std::string shownTags = ellipsize(tags, tagsWidth, m, FontRole::Regular, tagsPx);
    const int titleWidth = width - 3 * margin - tagsWidth;
    const int titleY = (headerH - m.lineHeight(FontRole::Bold, titlePx)) / 2;
    layer.texts.push_back(line(m, ellipsize(info.eventName, titleWidth, m, FontRole::Bold, titlePx),
                               FontRole::Bold, titlePx, theme.text, margin, titleY));
    if (!shownTags.empty()) {
        TextItem t = line(m, shownTags, FontRole::Regular, tagsPx, theme.accent, 0,
                          (headerH - m.lineHeight(FontRole::Regular, tagsPx)) / 2);
        t.x = width - margin - t.width;
        layer.texts.push_back(std::move(t));
    }

    const int ctaPx = s(48);
    const int footerTextY = height - footerH + (footerH - m.lineHeight(FontRole::Bold, ctaPx)) / 2;
    if (!info.callToAction.empty()) {
        layer.texts.push_back(
            line(m, ellipsize(info.callToAction, width * 2 / 3, m, FontRole::Bold, ctaPx),
                 FontRole::Bold, ctaPx, theme.accent, margin, footerTextY));
    }
    const int countPx = s(34);
    const std::string count =
        info.postCount == 1 ? "1 post" : std::to_string(info.postCount) + " posts";
    TextItem c = line(m, count, FontRole::Regular, countPx, theme.muted, 0,
                      height - footerH + (footerH - m.lineHeight(FontRole::Regular, countPx)) / 2);
    c.x = width - margin - c.width;
    layer.texts.push_back(std::move(c));

    if (info.waiting) {
        const int px = s(56);
        TextItem t =
            line(m, "Waiting for the first posts…", FontRole::Regular, px, theme.muted, 0, 0);
        t.x = metrics.card.x + (metrics.card.w - t.width) / 2;
        t.y = metrics.card.y + (metrics.card.h - t.height) / 2;
        layer.texts.push_back(std::move(t));
    }
    return layer;
}

Layer layoutCard(const Post& post, const Theme& theme, int width, int height, TextMeasurer& m,
                 UnixTime now) {
    const Scale s = scaleFor(width, height);
    const CardMetrics metrics = cardMetrics(width, height);
    const Rect card = metrics.card;
    const int pad = s(60);
    Layer layer;

    const int avatar = s(128);
    const std::string avatarKey =
        post.author.handle.empty() ? post.author.name : post.author.handle;
    const Rect disc{card.x + pad, card.y + pad, avatar, avatar};
    layer.avatars.push_back({disc, avatarColor(avatarKey), post.author.avatar});
    TextItem initials = line(m, initialsOf(post.author.name), FontRole::Bold, avatar * 2 / 5,
                             {255, 255, 255, 255}, 0, 0);
    initials.x = disc.x + (disc.w - initials.width) / 2;
    initials.y = disc.y + (disc.h - initials.height) / 2;
    layer.texts.push_back(std::move(initials));

    const int textX = card.x + pad + avatar + s(36);
    const int textW = card.x + card.w - pad - textX;
    const int namePx = s(56), metaPx = s(38);
    const int nameH = m.lineHeight(FontRole::Bold, namePx);
    const int metaH = m.lineHeight(FontRole::Regular, metaPx);
    const int headY = card.y + pad + std::max(0, (avatar - nameH - metaH) / 2);
    layer.texts.push_back(line(m, ellipsize(post.author.name, textW, m, FontRole::Bold, namePx),
                               FontRole::Bold, namePx, theme.text, textX, headY));
    layer.texts.push_back(line(m,
                               ellipsize(metaLine(post, now), textW, m, FontRole::Regular, metaPx),
                               FontRole::Regular, metaPx, theme.muted, textX, headY + nameH));

    int bodyTop = card.y + pad + avatar + s(40);
    const int innerW = card.w - 2 * pad;
    std::string context;
    if (!post.context.empty()) {
        context = "on “" + post.context + "”";
    }
    if (post.isReply) {
        context = context.empty() ? "↩ replying in a thread" : "↩ reply " + context;
    }
    if (!context.empty()) {
        const int px = s(36);
        layer.texts.push_back(line(m, ellipsize(context, innerW, m, FontRole::Regular, px),
                                   FontRole::Regular, px, theme.muted, card.x + pad, bodyTop));
        bodyTop += m.lineHeight(FontRole::Regular, px) + s(16);
    }
    Rect body{card.x + pad, bodyTop, innerW, card.y + card.h - pad - bodyTop};

    if (!post.spoiler.empty()) {
        // A content warning is shown instead of the post: the room did not opt in. Heading,
        // warning text and note form one block, centred like an ordinary post.
        const int headPx = s(52), notePx = s(36), gap = s(20);
        const int headH = m.lineHeight(FontRole::Bold, headPx);
        const int noteH = m.lineHeight(FontRole::Regular, notePx);
        const FittedText fit = fitText(post.spoiler, body.w, body.h - headH - noteH - 2 * gap, m,
                                       FontRole::Regular, metrics.bodyMinPx, s(64));
        const int textH = int(fit.lines.size()) * m.lineHeight(FontRole::Regular, fit.px);
        int y = body.y + std::max(0, (body.h - headH - textH - noteH - 2 * gap) / 2);
        layer.texts.push_back(
            line(m, "⚠ Content warning", FontRole::Bold, headPx, theme.warning, body.x, y));
        y += headH + gap;
        placeLines(layer, m, fit, {body.x, y, body.w, textH}, theme.text);
        y += textH + gap;
        layer.texts.push_back(line(m, "The post itself is not shown on the wall.",
                                   FontRole::Regular, notePx, theme.muted, body.x, y));
        return layer;
    }
    std::string text = post.text;
    if (text.empty() && !post.media.empty()) {
        text = post.media.front().alt.empty() ? "(a picture without a description)"
                                              : "Picture: " + post.media.front().alt;
    }
    const FittedText fit =
        fitText(text, body.w, body.h, m, FontRole::Regular, metrics.bodyMinPx, metrics.bodyMaxPx);
    placeLines(layer, m, fit, body, theme.text);
    return layer;
}

std::string initialsOf(const std::string& name) {
    const auto u = icu::UnicodeString::fromUTF8(name);
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> chars(
        icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) {
        return "?";
    }
    chars->setText(u);
    std::string out;
    int taken = 0;
    bool atWordStart = true;
    int32_t start = chars->first();
    for (int32_t end = chars->next(); end != icu::BreakIterator::DONE && taken < 2;
         start = end, end = chars->next()) {
        const UChar32 c = u.char32At(start);
        if (u_isUWhiteSpace(c) || c == '-' || c == '_' || c == '.') {
            atWordStart = true;
            continue;
        }
        if (atWordStart && u_isalnum(c)) {
            icu::UnicodeString cluster = u.tempSubStringBetween(start, end);
            cluster.toUpper(icu::Locale::getRoot());
            cluster.toUTF8String(out);
            ++taken;
        }
        atWordStart = false;
    }
    return out.empty() ? "?" : out;
}

Color avatarColor(const std::string& key) {
    // FNV-1a picks one of a few mid-tone colours that white initials read well on.
    static const Color kPalette[] = {{0x2f, 0x6f, 0xb3, 255}, {0x8e, 0x44, 0xad, 255},
                                     {0x16, 0x7d, 0x5b, 255}, {0xb0, 0x3a, 0x2e, 255},
                                     {0x9a, 0x5b, 0x00, 255}, {0x2c, 0x5f, 0x6e, 255},
                                     {0xa0, 0x30, 0x6a, 255}, {0x4a, 0x55, 0x9e, 255}};
    std::uint32_t h = 2166136261u;
    for (unsigned char c : key) {
        h = (h ^ c) * 16777619u;
    }
    return kPalette[h % (sizeof kPalette / sizeof kPalette[0])];
}

std::string sourceDisplayName(const std::string& source) {
    if (source == "mastodon") {
        return "Mastodon";
    }
    if (source == "wordpress") {
        return "Blog comment";
    }
    return source;
}

} // namespace kiosk
