// See FontSet.h.
#include "kiosk/render/FontSet.h"

#include "kiosk/base/Log.h"

#include <SDL_ttf.h>

#include <algorithm>
#include <filesystem>

namespace kiosk {
namespace {

constexpr int kEmojiStrike = 0; // SDL_ttf picks a bitmap strike by index for non-scalable fonts
constexpr std::uintmax_t kLargeFont = 4 * 1024 * 1024;

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

FontSet::FontSet(std::vector<FontFace> chain) {
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

FontSet::~FontSet() {
    for (auto& [key, open] : open_) {
        TTF_CloseFont(open.font);
    }
}

void FontSet::release() {
    for (auto it = open_.begin(); it != open_.end();) {
        if (faces_[it->first.first].large) {
            TTF_CloseFont(it->second.font);
            it = open_.erase(it);
        } else {
            TTF_SetFontSize(it->second.font, it->second.size); // flushes its glyph cache
            ++it;
        }
    }
}

std::size_t FontSet::openLargeFonts() const {
    return std::size_t(std::count_if(open_.begin(), open_.end(), [this](const auto& kv) {
        return faces_[kv.first.first].large;
    }));
}

TTF_Font* FontSet::font(std::size_t face, FontRole role, int px) {
    const FontFace& f = faces_[face];
    // A face without a bold file gets synthesised bold, on a font of its own: the style is
    // per font, and a shared one would turn the regular text bold too.
    const bool bold = role == FontRole::Bold && !f.emoji;
    const int size = f.emoji ? kEmojiStrike : px;
    const auto key = std::make_pair(face, bold);
    if (auto it = open_.find(key); it != open_.end()) {
        if (it->second.size == size) {
            return it->second.font;
        }
        // Fitting a card tries many sizes; a font opened per size would grow without bound.
        if (TTF_SetFontSize(it->second.font, size) == 0) {
            it->second.size = size;
            return it->second.font;
        }
        TTF_CloseFont(it->second.font);
        open_.erase(it);
    }
    TTF_Font* font = TTF_OpenFont((bold && !f.bold.empty() ? f.bold : f.regular).c_str(), size);
    if (!font) {
        logWarn("text", f.regular + ": " + TTF_GetError());
        return nullptr;
    }
    if (bold && f.bold.empty()) {
        TTF_SetFontStyle(font, TTF_STYLE_BOLD);
    }
    open_[key] = {size, font};
    return font;
}

TTF_Font* FontSet::coverage(std::size_t face) {
    // Which characters a face has does not depend on its size, and asking for a size of its
    // own would resize the face back and forth for every character of a line.
    if (auto it = open_.find(std::make_pair(face, false)); it != open_.end()) {
        return it->second.font;
    }
    return font(face, FontRole::Regular, 32);
}

} // namespace kiosk
