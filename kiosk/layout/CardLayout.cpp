// One card inside its slot. Sizes follow the slot (1 for the spotlight card at 1920x1080), so
// the same code lays out the spotlight, grid cells and the small "up next" cards.
#include "kiosk/layout/CardLayout.h"

#include "kiosk/text/TextWrap.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <memory>

namespace kiosk {
namespace {

struct Units {
    double u;
    int operator()(double v) const { return std::max(1, int(std::lround(v * u))); }
};

std::string metaLine(const Post& post, const CardOptions& options, UnixTime now, bool compact) {
    std::string meta = compact ? std::string() : post.author.handle;
    const auto add = [&meta](const std::string& part) {
        if (!part.empty()) {
            meta += (meta.empty() ? "" : "  ·  ") + part;
        }
    };
    add(sourceDisplayName(post.source, options.sourceNames));
    if (post.source != "announcement") {
        add(relativeTime(now, post.createdAt));
    }
    return meta;
}

std::string contextLine(const Post& post) {
    std::string context;
    if (!post.context.empty()) {
        context =
            post.context.rfind("quoting ", 0) == 0 ? post.context : "on “" + post.context + "”";
    }
    if (post.isReply) {
        context = context.empty() ? "↩ replying in a thread" : "↩ reply " + context;
    }
    return context;
}

// Lines of a fitted text, vertically centred in box; right-to-left paragraphs right-aligned.
void placeLines(Layer& layer, TextMeasurer& m, const FittedText& fit, const Rect& box, Color color,
                bool centre = true) {
    const int lh = m.lineHeight(FontRole::Regular, fit.px);
    int y = box.y + (centre ? std::max(0, (box.h - lh * int(fit.lines.size())) / 2) : 0);
    for (const auto& wrapped : fit.lines) {
        TextItem t = textAt(m, wrapped.text, FontRole::Regular, fit.px, color, box.x, y);
        t.rtl = wrapped.rtl;
        if (t.rtl) {
            t.x = box.x + box.w - t.width;
        }
        layer.texts.push_back(std::move(t));
        y += lh;
    }
}

} // namespace

const Media* cardPicture(const Post& post, const CardOptions& options) {
    if (!post.spoiler.empty() && !options.revealWarned) {
        return nullptr;
    }
    for (const auto& m : post.media) {
        if (m.kind == "image" || m.kind == "gifv" || m.kind == "video" || m.kind == "card") {
            return &m; // video and gifv carry a still preview
        }
    }
    return nullptr;
}

std::string withInlineEmoji(const std::string& text,
                            const std::vector<std::pair<std::string, std::string>>& emoji,
                            std::vector<std::string>& images) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t open = text.find(':', pos);
        const std::size_t close = open == std::string::npos ? open : text.find(':', open + 1);
        if (close == std::string::npos) {
            break;
        }
        const std::string code = text.substr(open + 1, close - open - 1);
        auto it = std::find_if(emoji.begin(), emoji.end(),
                               [&code](const auto& e) { return e.first == code; });
        if (it == emoji.end() || code.empty()) {
            out.append(text, pos, close - pos); // keep the colon: it may open the next code
            pos = close;
            continue;
        }
        auto known = std::find(images.begin(), images.end(), it->second);
        const std::size_t index = std::size_t(known - images.begin());
        if (known == images.end()) {
            if (images.size() >= std::size_t(kInlineImageCount)) {
                out.append(text, pos, close + 1 - pos);
                pos = close + 1;
                continue;
            }
            images.push_back(it->second);
        }
        out.append(text, pos, open - pos);
        const char32_t c = kInlineImageFirst + char32_t(index);
        out += char(0xF0 | (c >> 18));
        out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F));
        out += char(0x80 | (c & 0x3F));
        pos = close + 1;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

namespace {
Layer layoutCardBody(const Post& post, const Theme& theme, const Rect& slot, const CardMedia& media,
                     const CardOptions& options, TextMeasurer& m, UnixTime now);
} // namespace

Layer layoutCard(const Post& post, const Theme& theme, const Rect& slot, const CardMedia& media,
                 const CardOptions& options, TextMeasurer& m, UnixTime now) {
    if (media.emoji.empty()) {
        return layoutCardBody(post, theme, slot, media, options, m, now);
    }
    Post shown = post;
    std::vector<std::string> images;
    shown.author.name = withInlineEmoji(post.author.name, media.emoji, images);
    shown.text = withInlineEmoji(post.text, media.emoji, images);
    shown.spoiler = withInlineEmoji(post.spoiler, media.emoji, images);
    Layer layer = layoutCardBody(shown, theme, slot, media, options, m, now);
    for (auto& t : layer.texts) {
        t.inlineImages = images;
    }
    return layer;
}

namespace {

Layer layoutCardBody(const Post& post, const Theme& theme, const Rect& slot, const CardMedia& media,
                     const CardOptions& options, TextMeasurer& m, UnixTime now) {
    // 1 for the spotlight card at 1920x1080 (1840x730 between header and footer); by area, so
    // a narrow but tall card keeps readable type, and never more than its height allows.
    const Units u{std::min(std::sqrt(slot.w * double(slot.h) / (1840.0 * 730.0)), slot.h / 730.0)};
    const bool compact = u.u < 0.3; // the small "up next" cards
    const int pad = u(compact ? 40 : 60);
    Layer layer;

    // Header row: avatar, name, and handle · source · time.
    const int avatar = u(compact ? 150 : 128);
    const Rect disc{slot.x + pad, slot.y + pad, avatar, avatar};
    if (media.avatar) {
        layer.images.push_back({disc, post.id + "#avatar", true, 0});
    } else {
        const std::string key = post.author.handle.empty() ? post.author.name : post.author.handle;
        layer.boxes.push_back({disc, avatarColor(key), avatar / 2});
        TextItem initials = textAt(m, initialsOf(post.author.name), FontRole::Bold,
                                   std::max(6, avatar * 2 / 5), {255, 255, 255, 255}, 0, 0);
        initials.x = disc.x + (disc.w - initials.width) / 2;
        initials.y = disc.y + (disc.h - initials.height) / 2;
        layer.texts.push_back(std::move(initials));
    }
    // A picture beside the text takes a full-height column on the right: decide that first,
    // so the name and the text never run under it.
    const bool warned = !post.spoiler.empty() && !options.revealWarned;
    const Media* picture = cardPicture(post, options);
    const bool hasPicture = picture && media.pictureWidth > 0 && media.pictureHeight > 0;
    const int innerW = slot.w - 2 * pad;
    const int gap = u(36);
    const bool beside =
        hasPicture && !warned && !post.text.empty() && innerW > (slot.h - 2 * pad - avatar) * 1.3;
    int picW = 0;
    if (beside) {
        const double aspect = double(media.pictureWidth) / media.pictureHeight;
        picW = std::clamp(int((slot.h - 2 * pad) * aspect), innerW / 3, innerW * 45 / 100);
    }
    const int columnRight = slot.x + slot.w - pad - (beside ? picW + gap : 0);
    const int textX = disc.x + avatar + u(36);
    const int headW = columnRight - textX;
    const int namePx = u(compact ? 76 : 56), metaPx = u(compact ? 56 : 38);
    const int nameH = m.lineHeight(FontRole::Bold, namePx);
    const int metaH = m.lineHeight(FontRole::Regular, metaPx);
    const int headY = disc.y + std::max(0, (avatar - nameH - metaH) / 2);
    layer.texts.push_back(textAt(m, ellipsize(post.author.name, headW, m, FontRole::Bold, namePx),
                                 FontRole::Bold, namePx, theme.text, textX, headY));
    // When space is short the handle goes first: when a post was written matters more.
    std::string meta = metaLine(post, options, now, compact);
    if (m.width(meta, FontRole::Regular, metaPx) > headW) {
        meta = metaLine(post, options, now, true);
    }
    layer.texts.push_back(textAt(m, ellipsize(meta, headW, m, FontRole::Regular, metaPx),
                                 FontRole::Regular, metaPx, theme.muted, textX, headY + nameH));

    int top = disc.y + avatar + u(compact ? 24 : 40);
    const int columnW = columnRight - (slot.x + pad);
    if (const std::string context = contextLine(post); !context.empty() && !compact) {
        const int cpx = u(36);
        layer.texts.push_back(textAt(m, ellipsize(context, columnW, m, FontRole::Regular, cpx),
                                     FontRole::Regular, cpx, theme.muted, slot.x + pad, top));
        top += m.lineHeight(FontRole::Regular, cpx) + u(16);
    }
    Rect body{slot.x + pad, top, warned ? innerW : columnW, slot.y + slot.h - pad - top};
    const int minPx = std::max(compact ? 14 : 18, u(32));
    const int maxPx = u(compact ? 110 : 84);

    if (warned) {
        // A content warning shows instead of the post and its picture: the room did not opt
        // in. Heading, warning and note form one block, centred like an ordinary post.
        const int headPx = u(compact ? 70 : 52), notePx = u(compact ? 48 : 36), vgap = u(20);
        const int headH = m.lineHeight(FontRole::Bold, headPx);
        const int noteH = compact ? 0 : m.lineHeight(FontRole::Regular, notePx);
        const FittedText fit = fitText(post.spoiler, body.w, body.h - headH - noteH - 2 * vgap, m,
                                       FontRole::Regular, minPx, u(compact ? 80 : 64));
        const int textH = int(fit.lines.size()) * m.lineHeight(FontRole::Regular, fit.px);
        int y = body.y + std::max(0, (body.h - headH - textH - noteH - 2 * vgap) / 2);
        layer.texts.push_back(
            textAt(m, "⚠ Content warning", FontRole::Bold, headPx, theme.warning, body.x, y));
        y += headH + vgap;
        placeLines(layer, m, fit, {body.x, y, body.w, textH}, theme.text);
        if (!compact) {
            layer.texts.push_back(textAt(m, "The post itself is not shown on the wall.",
                                         FontRole::Regular, notePx, theme.muted, body.x,
                                         y + textH + vgap));
        }
        return layer;
    }

    std::string text = post.text;
    std::string caption = options.showAltText && picture ? picture->alt : "";
    if (text.empty() && picture) {
        // A picture without words: its description is the text a reader gets.
        caption = picture->alt.empty() ? "(a picture without a description)" : picture->alt;
    }
    if (hasPicture) {
        Rect pic;
        if (text.empty()) {
            pic = body; // media-only: the picture is the post
        } else if (beside) {
            // Landscape card: the picture on the right, as wide as its shape allows.
            pic = {columnRight + gap, slot.y + pad, picW, slot.h - 2 * pad};
        } else {
            const int picH = body.h * 45 / 100;
            pic = {body.x, body.y + body.h - picH, body.w, picH};
            body.h -= picH + gap;
        }
        if (!caption.empty()) {
            const int capPx = std::max(minPx * 3 / 4, u(30));
            const FittedText capFit =
                fitText(caption, pic.w, m.lineHeight(FontRole::Regular, capPx) * 2, m,
                        FontRole::Regular, capPx, capPx);
            const int capH = int(capFit.lines.size()) * m.lineHeight(FontRole::Regular, capPx);
            pic.h -= capH + u(12);
            placeLines(layer, m, capFit, {pic.x, pic.y + pic.h + u(12), pic.w, capH}, theme.muted,
                       false);
        }
        layer.images.push_back({pic, post.id + "#picture", false, u(24)});
        if (text.empty()) {
            return layer;
        }
    } else if (text.empty()) {
        text = caption; // the picture could not be shown: its description still can
    }
    const FittedText fit = fitText(text, body.w, body.h, m, FontRole::Regular, minPx, maxPx);
    placeLines(layer, m, fit, body, theme.text);
    return layer;
}

} // namespace

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

std::string sourceDisplayName(const std::string& source,
                              const std::vector<std::pair<std::string, std::string>>& names) {
    for (const auto& [key, name] : names) {
        if (source == key) {
            return name;
        }
    }
    return source == "announcement" ? "Announcement" : source;
}

} // namespace kiosk
