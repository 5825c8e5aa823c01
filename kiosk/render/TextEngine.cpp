// See TextEngine.h. Fallback decisions use ICU character properties so combining marks, ZWJ
// sequences, variation selectors and skin tones stay with the character they modify.
#include "kiosk/render/TextEngine.h"

#include <algorithm>

#include "kiosk/base/Log.h"
#include "kiosk/render/ImageLoader.h"
#include "kiosk/text/TextWrap.h"

#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <filesystem>

namespace kiosk {
namespace {

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

TextEngine::TextEngine(std::vector<FontFace> chain) : fonts_(std::move(chain)) {}

TextEngine::~TextEngine() {
    for (auto& [key, surface] : inlineImages_) {
        SDL_FreeSurface(surface);
    }
}

void TextEngine::releaseGlyphs() {
    fonts_.release();
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
            std::size_t face = fonts_.size();
            UErrorCode scriptStatus = U_ZERO_ERROR; // ICU does nothing with a null status
            const UScriptCode charScript = uscript_getScript(c, &scriptStatus);
            const bool common = charScript == USCRIPT_COMMON || charScript == USCRIPT_INHERITED;
            // Spaces and punctuation stay in the current run so a line of Arabic is shaped as
            // one piece; marks and emoji modifiers stay with what they modify.
            const bool keep =
                !runSegs.empty() && runSegs.back().face != kImageFace &&
                (staysInRun(c) ||
                 (common && !emoji && !fonts_.face(runSegs.back().face).emoji &&
                  TTF_GlyphIsProvided32(fonts_.coverage(runSegs.back().face), Uint32(c))));
            if (keep) {
                runSegs.back().text.append(s + start, std::size_t(i - start));
                continue;
            }
            if (emoji) {
                for (std::size_t k = 0; k < fonts_.size(); ++k) {
                    if (fonts_.face(k).emoji) {
                        face = k;
                    }
                }
            }
            for (std::size_t k = 0; k < fonts_.size() && face == fonts_.size(); ++k) {
                if (TTF_Font* f = fonts_.coverage(k); f && TTF_GlyphIsProvided32(f, Uint32(c))) {
                    face = k;
                }
            }
            if (face == fonts_.size()) {
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
    for (std::size_t k = 0; k < fonts_.size() && !f; ++k) {
        if (fonts_.face(k).emoji) {
            f = fonts_.font(k, FontRole::Regular, px);
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
    TTF_Font* f = fonts_.font(seg.face, role, px);
    if (!f) {
        return 0;
    }
    TTF_SetFontDirection(f, seg.rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(f, seg.script.empty() ? "Zyyy" : seg.script.c_str());
    int w = 0, h = 0;
    TTF_SizeUTF8(f, seg.text.c_str(), &w, &h);
    return fonts_.face(seg.face).emoji ? int(std::lround(w * emojiScale(px))) : w;
}

int TextEngine::width(std::string_view text, FontRole role, int px) {
    if (fonts_.empty() || text.empty()) {
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
    if (key.size() > kWidthCacheBytes / 16) {
        return total; // one string would take a sixteenth of the cache: keeps the bound exact
    }
    if (widthCache_.size() >= kWidthCacheEntries ||
        widthCacheBytes_ + key.size() > kWidthCacheBytes) {
        widthCache_.clear(); // a rough bound is enough: the next card fills it again
        widthCacheBytes_ = 0;
    }
    widthCacheBytes_ += key.size();
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
        for (std::size_t k = 0; k < fonts_.size() && !found; ++k) {
            TTF_Font* f = fonts_.coverage(k);
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
                : std::filesystem::path(fonts_.face(seg.face).regular).filename().string();
        out.emplace_back(seg.text, file);
    }
    return out;
}

int TextEngine::lineHeight(FontRole role, int px) {
    if (fonts_.empty()) {
        return px;
    }
    TTF_Font* f = fonts_.font(0, role, px);
    return f ? TTF_FontLineSkip(f) : px;
}

SDL_Surface* TextEngine::renderSegment(const Segment& seg, FontRole role, int px, Color color) {
    TTF_Font* f = fonts_.font(seg.face, role, px);
    if (!f) {
        return nullptr;
    }
    TTF_SetFontDirection(f, seg.rtl ? TTF_DIRECTION_RTL : TTF_DIRECTION_LTR);
    TTF_SetFontScriptName(f, seg.script.empty() ? "Zyyy" : seg.script.c_str());
    SDL_Surface* raw =
        TTF_RenderUTF8_Blended(f, seg.text.c_str(), {color.r, color.g, color.b, 255});
    if (!raw || !fonts_.face(seg.face).emoji) {
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
    if (auto decoded = decodeImageFile(path, {})) {
        SDL_Surface* raw = *decoded;
        SDL_Surface* src = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
        SDL_FreeSurface(raw);
        scaled = SDL_CreateRGBSurfaceWithFormat(0, size, size, 32, SDL_PIXELFORMAT_ARGB8888);
        if (src && scaled) {
            SDL_SoftStretchLinear(src, nullptr, scaled, nullptr);
        }
        SDL_FreeSurface(src);
    } else {
        logWarn("text", "cannot draw a custom emoji: " + decoded.error());
    }
    inlineImages_[key] = scaled;
    return scaled;
}

SDL_Surface* TextEngine::renderLine(const TextItem& item) {
    SDL_Surface* line = SDL_CreateRGBSurfaceWithFormat(
        0, std::max(1, item.width), std::max(1, item.height), 32, SDL_PIXELFORMAT_ARGB8888);
    if (!line || fonts_.empty()) {
        return line;
    }
    SDL_FillRect(line, nullptr, 0);
    TTF_Font* primary = fonts_.font(0, item.role, item.px);
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
        if (fonts_.face(seg.face).emoji) {
            y = baseline - int(part->h * 0.86); // emoji bitmaps descend a little below baseline
        } else if (TTF_Font* f = fonts_.font(seg.face, item.role, item.px)) {
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
