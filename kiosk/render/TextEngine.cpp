// See TextEngine.h. Fallback decisions use ICU character properties so combining marks, ZWJ
// sequences, variation selectors and skin tones stay with the character they modify.
#include "kiosk/render/TextEngine.h"

#include <algorithm>

#include "kiosk/core/Log.h"
#include "kiosk/core/TextWrap.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <filesystem>

namespace kiosk {
namespace {

constexpr int kEmojiStrike = 0; // SDL_ttf picks a bitmap strike by index for non-scalable fonts
constexpr std::uintmax_t kLargeFont = 4 * 1024 * 1024;

bool staysInRun(UChar32 c) {
    if (c == 0x200D || (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0x1F3FB && c <= 0x1F3FF) ||
        c == 0x20E3 || (c >= 0xE0020 && c <= 0xE007F)) {
        return true; // ZWJ, variation selectors, skin tones, keycap, tag sequences
    }
    const int8_t type = u_charType(c);
    return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
           type == U_COMBINING_SPACING_MARK;
}

// next is the code point after c (0 at the end): VS16, a keycap mark or a ZWJ turns a
// text-style character such as U+2764 or a digit into an emoji.
bool isInlineImage(UChar32 c) {
    return c >= UChar32(kInlineImageFirst) && c < UChar32(kInlineImageFirst) + kInlineImageCount;
}

bool wantsEmoji(UChar32 c, UChar32 next) {
    if (u_hasBinaryProperty(c, UCHAR_EMOJI_PRESENTATION) || (c >= 0x1F1E6 && c <= 0x1F1FF)) {
        return true; // default emoji style, or a regional indicator (flags)
    }
    return u_hasBinaryProperty(c, UCHAR_EMOJI) &&
           (next == 0xFE0F || next == 0x20E3 || next == 0x200D);
}

} // namespace

std::vector<FontFace> defaultFontChain() {
    const std::string noto = "/usr/share/fonts/truetype/noto/";
    const std::string cjk = "/usr/share/fonts/opentype/noto/";
    const std::string dejavu = "/usr/share/fonts/truetype/dejavu/";
    const std::vector<FontFace> wanted = {
        // DejaVu before Noto Sans Arabic on purpose: through SDL_ttf, Noto Sans Arabic loses the
        // dots it places as marks (يلعب comes out dotless); DejaVu's letters are whole. It also
        // keeps the spaces of an Arabic line in the same run, so the line is shaped as one.
        {noto + "NotoSans-Regular.ttf", noto + "NotoSans-Bold.ttf", false},
        {dejavu + "DejaVuSans.ttf", dejavu + "DejaVuSans-Bold.ttf", false},
        {noto + "NotoSansArabic-Regular.ttf", noto + "NotoSansArabic-Bold.ttf", false},
        {noto + "NotoSansHebrew-Regular.ttf", noto + "NotoSansHebrew-Bold.ttf", false},
        {noto + "NotoSansThai-Regular.ttf", noto + "NotoSansThai-Bold.ttf", false},
        {noto + "NotoSansDevanagari-Regular.ttf", noto + "NotoSansDevanagari-Bold.ttf", false},
        {cjk + "NotoSansCJK-Regular.ttc", cjk + "NotoSansCJK-Bold.ttc", false},
        {noto + "NotoSansSymbols2-Regular.ttf", "", false},
        {noto + "NotoColorEmoji.ttf", "", true},
    };
    std::vector<FontFace> chain;
    for (const auto& face : wanted) {
        if (std::filesystem::exists(face.regular)) {
            FontFace f = face;
            if (!f.bold.empty() && !std::filesystem::exists(f.bold)) {
                f.bold.clear();
            }
            chain.push_back(f);
        } else {
            logDebug("text", "font not installed, skipped: " + face.regular);
        }
    }
    return chain;
}

TextEngine::TextEngine(std::vector<FontFace> chain) {
    if (!TTF_WasInit() && TTF_Init() != 0) {
        logError("text", std::string("SDL_ttf failed to start: ") + TTF_GetError());
        return;
    }
    for (auto& face : chain) {
        if (TTF_Font* probe = TTF_OpenFont(face.regular.c_str(), face.emoji ? kEmojiStrike : 24)) {
            TTF_CloseFont(probe);
            // FreeType copies an outline font's tables into memory when it opens it; past a
            // few megabytes of file (CJK) that is megabytes per open font. Emoji are bitmaps
            // read glyph by glyph.
            std::error_code ec;
            face.large = !face.emoji && std::filesystem::file_size(face.regular, ec) > kLargeFont;
            faces_.push_back(std::move(face));
        } else {
            logWarn("text", face.regular + ": cannot open font: " + TTF_GetError());
        }
    }
    if (faces_.empty()) {
        logError("text", "no usable font; install fonts-noto-core or fonts-dejavu-core");
    }
}

TextEngine::~TextEngine() {
    for (auto& [key, surface] : inlineImages_) {
        SDL_FreeSurface(surface);
    }
    for (auto& [key, slots] : fonts_) {
        for (auto& slot : slots) {
            TTF_CloseFont(slot.font);
        }
    }
}

void TextEngine::releaseGlyphs() {
    for (auto& [key, slots] : fonts_) {
        if (faces_[key.first].large) {
            for (auto& slot : slots) {
                TTF_CloseFont(slot.font);
            }
            slots.clear();
            continue;
        }
        for (auto& slot : slots) {
            TTF_SetFontSize(slot.font, slot.size); // flushes the font's glyph cache
        }
    }
}

TTF_Font* TextEngine::font(std::size_t face, FontRole role, int px) {
    const FontFace& f = faces_[face];
    // A face without a bold file gets synthesised bold, on a font of its own: the style is
    // per font, and a shared one would turn the regular text bold too.
    const bool bold = role == FontRole::Bold && !f.emoji;
    const int size = f.emoji ? kEmojiStrike : px;
    auto& slots = fonts_[std::make_pair(face, int(bold))];
    ++useCounter_;
    for (auto& slot : slots) {
        if (slot.size == size) {
            slot.lastUse = useCounter_;
            return slot.font;
        }
    }
    // Fitting a card tries many sizes. An open font per size would grow without bound (each
    // holds FreeType tables and a glyph cache: megabytes an hour on a busy wall), so a face
    // keeps a few sizes and resizes its least recently used one.
    if (slots.size() >= kSizesPerFace) {
        auto lru = std::min_element(slots.begin(), slots.end(), [](const auto& a, const auto& b) {
            return a.lastUse < b.lastUse;
        });
        if (TTF_SetFontSize(lru->font, size) == 0) {
            lru->size = size;
            lru->lastUse = useCounter_;
            return lru->font;
        }
        TTF_CloseFont(lru->font);
        slots.erase(lru);
    }
    TTF_Font* font = TTF_OpenFont((bold && !f.bold.empty() ? f.bold : f.regular).c_str(), size);
    if (!font) {
        logWarn("text", f.regular + ": " + TTF_GetError());
        return nullptr;
    }
    if (bold && f.bold.empty()) {
        TTF_SetFontStyle(font, TTF_STYLE_BOLD); // synthesised bold for faces without one
    }
    slots.push_back({size, font, useCounter_});
    return font;
}

TTF_Font* TextEngine::coverageFont(std::size_t face) {
    // Which characters a face has does not depend on its size, so any open size will do;
    // asking for a size of its own would resize the face back and forth for every character.
    auto it = fonts_.find(std::make_pair(face, 0));
    if (it != fonts_.end() && !it->second.empty()) {
        return it->second.front().font;
    }
    return font(face, FontRole::Regular, 32);
}

std::vector<TextEngine::Segment> TextEngine::segments(std::string_view line, bool rtlBase) {
    std::vector<Segment> out;
    for (const VisualRun& run : visualRuns(line, rtlBase)) {
        std::vector<Segment> runSegs;
        const char* s = run.text.data();
        const int32_t n = int32_t(run.text.size());
        int32_t i = 0;
        while (i < n) {
            const int32_t start = i;
            UChar32 c;
            U8_NEXT(s, i, n, c);
            if (c < 0) {
                c = 0xFFFD;
            }
            UChar32 next = 0;
            if (i < n) {
                int32_t peek = i;
                U8_NEXT(s, peek, n, next);
            }
            if (isInlineImage(c)) {
                // A custom emoji: a segment of its own, drawn from its picture.
                runSegs.push_back(
                    {std::string(s + start, std::size_t(i - start)), kImageFace, run.rtl, ""});
                continue;
            }
            const bool emoji = wantsEmoji(c, next);
            std::size_t face = faces_.size();
            UErrorCode scriptStatus = U_ZERO_ERROR; // ICU does nothing with a null status
            const UScriptCode charScript = uscript_getScript(c, &scriptStatus);
            const bool common = charScript == USCRIPT_COMMON || charScript == USCRIPT_INHERITED;
            // Spaces and punctuation stay in the current run so a line of Arabic is shaped as
            // one piece; marks and emoji modifiers stay with what they modify.
            const bool keep =
                !runSegs.empty() && runSegs.back().face != kImageFace &&
                (staysInRun(c) ||
                 (common && !emoji && !faces_[runSegs.back().face].emoji &&
                  TTF_GlyphIsProvided32(coverageFont(runSegs.back().face), Uint32(c))));
            if (keep) {
                runSegs.back().text.append(s + start, std::size_t(i - start));
                continue;
            }
            if (emoji) {
                for (std::size_t k = 0; k < faces_.size(); ++k) {
                    if (faces_[k].emoji) {
                        face = k;
                    }
                }
            }
            for (std::size_t k = 0; k < faces_.size() && face == faces_.size(); ++k) {
                if (TTF_Font* f = coverageFont(k); f && TTF_GlyphIsProvided32(f, Uint32(c))) {
                    face = k;
                }
            }
            if (face == faces_.size()) {
                face = 0; // nothing has it: the primary font's missing-glyph box
            }
            UErrorCode status = U_ZERO_ERROR;
            const char* script = uscript_getShortName(uscript_getScript(c, &status));
            if (!runSegs.empty() && runSegs.back().face == face && face != kImageFace) {
                runSegs.back().text.append(s + start, std::size_t(i - start));
            } else {
                runSegs.push_back({std::string(s + start, std::size_t(i - start)), face, run.rtl,
                                   (common || !script) ? "" : script});
            }
            if (runSegs.back().script.empty() && !common && script) {
                runSegs.back().script = script;
            }
        }
        // Inside a right-to-left run, font segments are laid out right to left too.
        if (run.rtl) {
            std::reverse(runSegs.begin(), runSegs.end());
        }
        for (auto& seg : runSegs) {
            out.push_back(std::move(seg));
        }
    }
    return out;
}

double TextEngine::emojiScale(int px) {
    TTF_Font* f = nullptr;
    for (std::size_t k = 0; k < faces_.size() && !f; ++k) {
        if (faces_[k].emoji) {
            f = font(k, FontRole::Regular, px);
        }
    }
    const int native = f ? TTF_FontHeight(f) : 0;
    // Emoji sit on the text's cap-height-ish box: about 1.17 em tall like the Noto text faces.
    return native > 0 ? px * 1.17 / native : 1.0;
}

int TextEngine::segmentWidth(const Segment& seg, FontRole role, int px) {
    if (seg.face == kImageFace) {
        return inlineImageSize(px);
    }
    TTF_Font* f = font(seg.face, role, px);
    if (!f) {
        return 0;
    }
    TTF_SetFontDirection(f, seg.rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(f, seg.script.empty() ? "Zyyy" : seg.script.c_str());
    int w = 0, h = 0;
    TTF_SizeUTF8(f, seg.text.c_str(), &w, &h);
    return faces_[seg.face].emoji ? int(std::lround(w * emojiScale(px))) : w;
}

int TextEngine::width(std::string_view text, FontRole role, int px) {
    if (faces_.empty() || text.empty()) {
        return 0;
    }
    std::string key = std::to_string(px) + (role == FontRole::Bold ? "b" : "r");
    key.append(text);
    if (auto it = widthCache_.find(key); it != widthCache_.end()) {
        return it->second;
    }
    int total = 0;
    for (const auto& seg : segments(text, isRtlParagraph(text))) {
        total += segmentWidth(seg, role, px);
    }
    if (widthCache_.size() > 20000) {
        widthCache_.clear(); // layout re-measures the same prefixes; a rough bound is enough
    }
    widthCache_.emplace(std::move(key), total);
    return total;
}

std::string TextEngine::missingGlyphs(std::string_view text) {
    std::string missing;
    const char* s = text.data();
    const int32_t n = int32_t(text.size());
    for (int32_t i = 0; i < n;) {
        const int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, n, c);
        if (c < 0 || staysInRun(c) || u_isUWhiteSpace(c) || c == 0x200D) {
            continue; // joiners, selectors and marks are drawn as part of their cluster
        }
        bool found = false;
        for (std::size_t k = 0; k < faces_.size() && !found; ++k) {
            TTF_Font* f = coverageFont(k);
            found = f && TTF_GlyphIsProvided32(f, Uint32(c));
        }
        if (!found) {
            missing.append(s + start, std::size_t(i - start));
        }
    }
    return missing;
}

std::vector<std::pair<std::string, std::string>> TextEngine::fontRuns(std::string_view line,
                                                                      bool rtl) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& seg : segments(line, rtl)) {
        const std::string file =
            seg.face == kImageFace
                ? std::string()
                : std::filesystem::path(faces_[seg.face].regular).filename().string();
        out.emplace_back(seg.text, file);
    }
    return out;
}

int TextEngine::lineHeight(FontRole role, int px) {
    if (faces_.empty()) {
        return px;
    }
    TTF_Font* f = font(0, role, px);
    return f ? TTF_FontLineSkip(f) : px;
}

SDL_Surface* TextEngine::renderSegment(const Segment& seg, FontRole role, int px, Color color) {
    TTF_Font* f = font(seg.face, role, px);
    if (!f) {
        return nullptr;
    }
    TTF_SetFontDirection(f, seg.rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(f, seg.script.empty() ? "Zyyy" : seg.script.c_str());
    SDL_Surface* raw =
        TTF_RenderUTF8_Blended(f, seg.text.c_str(), {color.r, color.g, color.b, 255});
    if (!raw || !faces_[seg.face].emoji) {
        return raw;
    }
    const double scale = emojiScale(px);
    SDL_Surface* scaled = SDL_CreateRGBSurfaceWithFormat(
        0, std::max(1, int(std::lround(raw->w * scale))),
        std::max(1, int(std::lround(raw->h * scale))), 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Surface* src = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    if (scaled && src) {
        SDL_SoftStretchLinear(src, nullptr, scaled, nullptr);
    }
    SDL_FreeSurface(src);
    return scaled;
}

int TextEngine::inlineImageSize(int px) {
    return int(std::lround(px * 1.15));
}

SDL_Surface* TextEngine::inlineImage(const std::string& path, int size) {
    const std::string key = path + "@" + std::to_string(size);
    if (auto it = inlineImages_.find(key); it != inlineImages_.end()) {
        return it->second;
    }
    if (inlineImages_.size() > 64) {
        for (auto& [k, s] : inlineImages_) {
            SDL_FreeSurface(s);
        }
        inlineImages_.clear();
    }
    SDL_Surface* scaled = nullptr;
    // Custom emoji files are small and were checked by the media cache; a bad one stays blank.
    if (SDL_Surface* raw = IMG_Load(path.c_str())) {
        SDL_Surface* src = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
        SDL_FreeSurface(raw);
        scaled = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_ARGB8888);
        if (src && scaled) {
            SDL_SoftStretchLinear(src, nullptr, scaled, nullptr);
        }
        SDL_FreeSurface(src);
    } else {
        logWarn("text", path + ": cannot draw a custom emoji: " + IMG_GetError());
    }
    inlineImages_[key] = scaled;
    return scaled;
}

SDL_Surface* TextEngine::renderLine(const TextItem& item) {
    SDL_Surface* line = SDL_CreateRGBSurfaceWithFormat(
        0, std::max(1, item.width), std::max(1, item.height), 32, SDL_PIXELFORMAT_ARGB8888);
    if (!line || faces_.empty()) {
        return line;
    }
    SDL_FillRect(line, nullptr, 0);
    TTF_Font* primary = font(0, item.role, item.px);
    const int baseline = primary ? TTF_FontAscent(primary) : item.px;
    int x = 0;
    for (const auto& seg : segments(item.text, item.rtl)) {
        if (seg.face == kImageFace) {
            const int size = inlineImageSize(item.px);
            UChar32 c = 0;
            int32_t k = 0;
            U8_NEXT(seg.text.data(), k, int32_t(seg.text.size()), c);
            const std::size_t index = std::size_t(c - UChar32(kInlineImageFirst));
            if (index < item.inlineImages.size()) {
                if (SDL_Surface* img = inlineImage(item.inlineImages[index], size)) {
                    SDL_SetSurfaceBlendMode(img, SDL_BLENDMODE_NONE);
                    SDL_Rect dst{x, baseline - int(size * 0.86), size, size};
                    SDL_BlitSurface(img, nullptr, line, &dst);
                }
            }
            x += size;
            continue;
        }
        SDL_Surface* part = renderSegment(seg, item.role, item.px, item.color);
        if (!part) {
            continue;
        }
        int y = 0;
        if (faces_[seg.face].emoji) {
            y = baseline - int(part->h * 0.86); // emoji bitmaps descend a little below baseline
        } else if (TTF_Font* f = font(seg.face, item.role, item.px)) {
            y = baseline - TTF_FontAscent(f);
        }
        // Copy, not blend: segments do not overlap, and blending onto a transparent line would
        // darken anti-aliased edges.
        SDL_SetSurfaceBlendMode(part, SDL_BLENDMODE_NONE);
        SDL_Rect dst{x, y, part->w, part->h};
        SDL_BlitSurface(part, nullptr, line, &dst);
        x += segmentWidth(seg, item.role, item.px);
        SDL_FreeSurface(part);
    }
    return line;
}

} // namespace kiosk
