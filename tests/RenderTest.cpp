// The SDL side without a window: fonts cover every script we promise (no tofu), hostile and
// broken pictures never crash and leave the card without them, and a prepared card carries a
// surface for every line and picture it lays out.
#include "kiosk/model/CardCycle.h"
#include "kiosk/render/CardPreparer.h"
#include "kiosk/render/ImageLoader.h"
#include "kiosk/render/LayerRenderer.h"
#include "kiosk/render/SdlMemory.h"
#include "kiosk/render/TextEngine.h"
#include "kiosk/render/WallView.h"

#include "TestSupport.h"

#include <SDL.h>
#include <SDL_image.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace kiosk {
namespace {

namespace fs = std::filesystem;

TextEngine& engine() {
    static TextEngine text(defaultFontChain());
    return text;
}

struct Script {
    const char* name;
    const char* text;
};
void PrintTo(const Script& s, std::ostream* os) {
    *os << s.name;
}

class Scripts : public ::testing::TestWithParam<Script> {};

TEST_P(Scripts, EveryCharacterHasAGlyph) {
    EXPECT_EQ(engine().missingGlyphs(GetParam().text), "") << GetParam().name;
    TextItem item;
    item.text = GetParam().text;
    item.px = 40;
    item.color = {255, 255, 255, 255};
    item.width = engine().width(item.text, item.role, item.px);
    item.height = engine().lineHeight(item.role, item.px);
    EXPECT_GT(item.width, 40);
    SDL_Surface* s = engine().renderLine(item);
    ASSERT_NE(s, nullptr);
    std::size_t inked = 0;
    const auto* px = static_cast<const Uint32*>(s->pixels);
    for (int i = 0; i < s->w * s->h; ++i) {
        inked += (px[i] >> 24) > 128;
    }
    EXPECT_GT(inked, 100u) << "nothing was drawn";
    SDL_FreeSurface(s);
}

INSTANTIATE_TEST_SUITE_P(
    All, Scripts,
    ::testing::Values(
        Script{"latin", "Grüße, café, naïve — “quotes” ½"},
        Script{"arabic", "مرحبا بكم في المخيم 2026"}, Script{"hebrew", "שלום לכולם"},
        Script{"japanese", "こんにちは、世界。日本語"}, Script{"chinese", "欢迎来到会场"},
        Script{"korean", "안녕하세요"}, Script{"thai", "สวัสดีครับ"},
        Script{"devanagari", "नमस्ते दुनिया"},
        Script{"emoji",
               "👨‍👩‍👧‍👦 🏳️‍🌈 👍🏽 🇩🇪 1️⃣ ❤️"},
        Script{"symbols", "⚠ ↩ ● ✓ €"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(TextEngine, RunsFollowScriptsAndKeepEmojiSequencesWhole) {
    const auto runs =
        engine().fontRuns("Hi مرحبا 👨‍👩‍👧‍👦👍🏽 日本", false);
    std::vector<std::string> fonts;
    for (const auto& [text, font] : runs) {
        fonts.push_back(font);
    }
    ASSERT_GE(runs.size(), 4u);
    EXPECT_EQ(runs[0].second, "NotoSans-Regular.ttf");
    EXPECT_EQ(runs[1].first, "مرحبا");
    EXPECT_EQ(runs[1].second, "DejaVuSans.ttf");
    // Both emoji sequences in one run of the colour font: no ZWJ or skin tone split off.
    const auto emoji = std::find_if(runs.begin(), runs.end(),
                                    [](const auto& r) { return r.second == "NotoColorEmoji.ttf"; });
    ASSERT_NE(emoji, runs.end());
    EXPECT_NE(emoji->first.find("👨‍👩‍👧‍👦👍🏽"), std::string::npos);
    EXPECT_EQ(runs.back().second, "NotoSansCJK-Regular.ttc");
}

TEST(TextEngine, RightToLeftRunsComeInVisualOrder) {
    // Logical: Hebrew word, then digits; displayed right to left the digits are on the left.
    const auto runs = engine().fontRuns("שלום 2026", true);
    ASSERT_GE(runs.size(), 2u);
    EXPECT_EQ(runs.front().first, "2026");
    EXPECT_EQ(runs.back().first, "שלום ");
}

TEST(TextEngine, ArabicLettersKeepTheirDots) {
    // يلعب and يلعب without dots (ىلعب) must not draw the same: the dots are real ink.
    const auto inkOf = [](const std::string& text) {
        TextItem item;
        item.text = text;
        item.px = 64;
        item.rtl = true;
        item.color = {255, 255, 255, 255};
        item.width = engine().width(text, item.role, item.px);
        item.height = engine().lineHeight(item.role, item.px);
        SDL_Surface* s = engine().renderLine(item);
        std::size_t ink = 0;
        for (int i = 0; i < s->w * s->h; ++i) {
            ink += static_cast<const Uint32*>(s->pixels)[i] >> 24;
        }
        SDL_FreeSurface(s);
        return ink;
    };
    EXPECT_GT(inkOf("يلعب"), inkOf("ىلعب") + 2000);
}

TEST(TextEngine, MissingGlyphsAreReported) {
    // U+E000 is private use: no installed font should claim it.
    EXPECT_NE(engine().missingGlyphs("a\xee\x80\x80z"), "");
}

fs::path writeFile(const std::string& name, const std::string& bytes) {
    const fs::path p =
        fs::temp_directory_path() / ("kiosk-render-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
}

std::string realPng(int w, int h) {
    SDL_Surface* s = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_FillRect(s, nullptr, 0xff3366cc);
    const fs::path p = fs::temp_directory_path() / ("kiosk-real-" + std::to_string(w) + ".png");
    IMG_SavePNG(s, p.string().c_str());
    SDL_FreeSurface(s);
    return test::readFile(p.string());
}

std::string be32(std::uint32_t v) {
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

// Hundreds of long posts over a day (a spam run of pasted logs) must not grow the cache of
// measured widths without end: 140 texts of 32 KB would be 4.5 MB kept.
TEST(TextEngine, TheWidthCacheStaysBoundedByBytes) {
    TextEngine text(defaultFontChain());
    std::string line = "harbour stage log ";
    while (line.size() < 32 * 1024) {
        line += "err=0x7f3a ch=12 gain=-3dB clip ";
    }
    int widest = 0;
    for (int i = 0; i < 140; ++i) {
        const std::string distinct = std::to_string(i) + line;
        widest = std::max(widest, text.width(distinct, FontRole::Regular, 20));
        EXPECT_LE(text.widthCacheBytes(), 4u * 1024 * 1024);
    }
    EXPECT_GT(widest, 100000);
    // A card's lines are still kept: the first measure adds an entry, the second finds it.
    const std::size_t before = text.widthCacheBytes();
    const int once = text.width("Sunrise swim at the harbour", FontRole::Regular, 40);
    const std::size_t kept = text.widthCacheBytes();
    EXPECT_GT(kept, before);
    EXPECT_EQ(text.width("Sunrise swim at the harbour", FontRole::Regular, 40), once);
    EXPECT_EQ(text.widthCacheBytes(), kept);
}

TEST(HostileImages, RefusedOrSurvivedNeverCrashed) {
    const std::string good = realPng(300, 200);
    std::string bomb = good;
    bomb.replace(16, 8, be32(20000) + be32(20000)); // IHDR claims 20000x20000
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"truncated.png", good.substr(0, good.size() / 2)},
        {"header-only.png", good.substr(0, 40)},
        {"bomb.png", bomb},
        {"chunk-past-the-end.png", good.substr(0, 33) + be32(0x7FFFFFF0) + good.substr(37)},
        {"page.jpg", "<!DOCTYPE html><html><body>Access denied</body></html>"},
        {"empty.gif", ""},
        {"noise.webp", std::string(4096, '\x5a')}};
    for (const auto& [name, bytes] : cases) {
        auto result = loadImageCover(writeFile(name, bytes).string(), 200, 150, false, {});
        if (result) {
            SDL_FreeSurface(*result); // a decoder that copes with a damaged file is fine too
        } else {
            EXPECT_NE(result.error().find(name), std::string::npos) << result.error();
        }
    }
    EXPECT_NE(loadImageCover(writeFile("bomb.png", bomb).string(), 10, 10, false, {})
                  .error()
                  .find("20000x20000"),
              std::string::npos);
    // Refused before SDL_image sees it: its PNG reader would read stale buffers for minutes.
    EXPECT_NE(
        loadImageCover(
            writeFile("past.png", good.substr(0, 33) + be32(0x7FFFFFF0) + good.substr(37)).string(),
            10, 10, false, {})
            .error()
            .find("png chunk IDAT at byte 33 claims 2147483632 bytes"),
        std::string::npos);
    auto fine = loadImageCover(writeFile("good.png", good).string(), 120, 120, true, {});
    ASSERT_TRUE(fine.ok()) << fine.error();
    EXPECT_EQ((*fine)->w, 120);
    const auto* px = static_cast<const Uint32*>((*fine)->pixels);
    EXPECT_EQ(px[0] >> 24, 0u);               // round: the corner is transparent
    EXPECT_EQ(px[60 * 120 + 60] >> 24, 255u); // the middle is solid
    SDL_FreeSurface(*fine);
}

TEST(HostileImages, OnlyTheDecoderOfTheFormatReadsThePicture) {
    // A WebP header without a zero byte (its size field reads "<svg"), then an SVG document:
    // IMG_Load_RW looks for "<svg" before the first zero byte, and for SVG before WebP, so it
    // drew the SVG. fuzz_picture found nanosvg leaking on such a file.
    const std::string svg = std::string("RIFF<svgWEBPVP8 AAAABBB\x9d\x01\x2a\x1e\x40\x14\x40") +
                            "<svg xmlns='http://www.w3.org/2000/svg' width='30' height='20'>"
                            "<rect width='30' height='20' fill='red'/></svg>";
    ASSERT_EQ(readImageHeader(svg)->format, "webp");
    ASSERT_EQ(readImageHeader(svg)->width, 30);
    auto decoded = decodeImageBytes(svg, "disguised.webp", {});
    ASSERT_FALSE(decoded) << "a decoder other than WebP's read it";
    EXPECT_NE(decoded.error().find("disguised.webp: cannot decode the picture"), std::string::npos)
        << decoded.error();
    // The file fuzz_picture found: refused, nothing leaked (the ASan build would say).
    const std::string found = test::readFile(KIOSK_FUZZ_CORPUS "/image/webp-holding-svg.webp");
    EXPECT_FALSE(decodeImageBytes(found, "found.webp", {}));
    // Each of the four formats still decodes through its own decoder.
    const std::string png = realPng(40, 30);
    auto fine = decodeImageBytes(png, "fine.png", {});
    ASSERT_TRUE(fine) << fine.error();
    EXPECT_EQ((*fine)->w, 40);
    SDL_FreeSurface(*fine);
    for (const char* name : {"gradient-lossless.webp", "gradient-lossy.webp"}) {
        const std::string bytes = test::readFile(std::string(KIOSK_FUZZ_CORPUS "/image/") + name);
        auto picture = decodeImageBytes(bytes, name, {});
        ASSERT_TRUE(picture) << picture.error();
        EXPECT_EQ((*picture)->w, readImageHeader(bytes)->width) << name;
        SDL_FreeSurface(*picture);
    }
}

TEST(HostileImages, GifsAreNeverDecoded) {
    // fuzz_picture's finds in Debian 12's SDL_image 2.6.3 GIF reader: a 125-byte file that
    // writes out of bounds (a segfault outside ASan), a 24x16 GIF whose first frame claims
    // 40099x55988 (2.2 GB), and one decoded at 44032x18880 after skipping damaged bytes.
    for (const char* name : {"gif-crashes-sdl-image.gif", "gif-frame-larger-than-canvas.gif",
                             "gif-resync-to-huge-frame.gif", "two-frames.gif"}) {
        const std::string bytes = test::readFile(std::string(KIOSK_FUZZ_CORPUS "/image/") + name);
        EXPECT_EQ(decodeImageBytes(bytes, name, {}).error(),
                  std::string(name) + ": not a JPEG, PNG or WebP picture");
        EXPECT_FALSE(probeImageFile(writeFile(name, bytes).string(), {}));
    }
}

TEST(HostileImages, NoSingleAllocationOutgrowsTheCeiling) {
    // A decoder that reaches a size no check saw (SDL_image's GIF reader did) fails cleanly.
    // On SDL's allocator, as every decoder and surface uses it.
    limitSdlAllocations();
    void* fine = SDL_malloc(64 << 20);
    EXPECT_NE(fine, nullptr);
    SDL_free(fine);
    EXPECT_EQ(SDL_malloc(kLargestSdlAllocation + 1), nullptr);
    EXPECT_EQ(SDL_calloc(std::size_t(1) << 40, std::size_t(1) << 30), nullptr); // overflows
    EXPECT_EQ(SDL_calloc(kLargestSdlAllocation / 2 + 1, 2), nullptr);
    EXPECT_EQ(SDL_realloc(nullptr, kLargestSdlAllocation + 1), nullptr);
    EXPECT_EQ(SDL_CreateRGBSurfaceWithFormat(0, 20000, 20000, 32, SDL_PIXELFORMAT_ARGB8888),
              nullptr);
}

TEST(HostileImages, LargePicturesAreScaledToTheTextureLimit) {
    ImageLimits limits;
    limits.maxTexture = 256;
    auto big = loadImageCover(writeFile("big.png", realPng(1600, 1200)).string(), 1200, 900, false,
                              limits);
    ASSERT_TRUE(big.ok());
    EXPECT_LE((*big)->w, 256);
    EXPECT_LE((*big)->h, 256);
    SDL_FreeSurface(*big);
}

TEST(CardPreparer, ABrokenPictureLeavesTheCardWithoutIt) {
    const fs::path broken = writeFile("broken.png", realPng(300, 200).substr(0, 60));
    const fs::path avatar = writeFile("avatar.png", realPng(64, 64));
    Post p;
    p.id = "mastodon:m.example:1";
    p.source = "mastodon";
    p.createdAt = 1781343000;
    p.author = {"Ana", "@ana@m.example", "https://m.example/a.png", ""};
    p.text = "A picture that will not decode.";
    p.media.push_back({"https://m.example/p.png", "a stage", 300, 200, "image"});
    const MediaLookup lookup = [&](const std::string& url) -> std::optional<std::string> {
        return url == "https://m.example/a.png" ? avatar.string() : broken.string();
    };
    CardStyle style{*themeNamed("dark"), {}, {}};
    auto card = prepareCard({p, {0, 0, 1840, 730}, 1781343300}, style, engine(), lookup);
    ASSERT_EQ(card->layer.images.size(), 1u); // the avatar; the picture was left out
    EXPECT_TRUE(card->layer.images[0].round);
    // Every line and picture arrives as a ready surface.
    EXPECT_EQ(card->surfaces.size(), card->layer.texts.size() + card->layer.images.size());
}

TEST(CardPreparer, WorksAheadOnItsOwnThread) {
    Post p;
    p.id = "mastodon:m.example:2";
    p.author = {"Ben", "@ben@m.example", "", ""};
    p.text = "Prepared before it is needed";
    CardStyle style{*themeNamed("dark"), {}, {}};
    CardPreparer preparer(style, nullptr, defaultFontChain());
    const Rect slot{0, 0, 1200, 600};
    preparer.request({{p, slot, 1781343300}});
    std::unique_ptr<PreparedCard> card;
    for (int i = 0; i < 500 && !card; ++i) {
        card = preparer.take(cardKey(p, slot, 1781343300));
        if (!card) {
            SDL_Delay(10);
        }
    }
    ASSERT_NE(card, nullptr);
    EXPECT_FALSE(card->surfaces.empty());
    EXPECT_EQ(preparer.take(cardKey(p, slot, 1781343300)), nullptr); // handed over once
}

// A card prepared before its avatar was downloaded is prepared again, with it, when asked for
// once the avatar is there; a card that has everything is not prepared twice.
TEST(CardPreparer, ACardWaitingForItsAvatarIsPreparedAgainWhenItArrives) {
    Post p;
    p.id = "mastodon:m.example:3";
    p.author = {"Chioma", "@chioma@m.example", "https://files.m.example/chioma.png", ""};
    p.text = "The avatar comes a little later than the post";
    const std::string avatarFile = writeFile("kiosk-avatar-later.png", realPng(96, 96)).string();
    std::atomic<bool> downloaded{false};
    MediaLookup lookup = [&](const std::string& url) -> std::optional<std::string> {
        if (downloaded && url == p.author.avatar) {
            return avatarFile;
        }
        return std::nullopt;
    };
    CardStyle style{*themeNamed("dark"), {}, {}};
    CardPreparer preparer(style, lookup, defaultFontChain());
    const Rect slot{0, 0, 1200, 600};
    const std::string key = cardKey(p, slot, 1781343300);
    const auto roundImages = [](const PreparedCard& card) {
        return std::count_if(card.layer.images.begin(), card.layer.images.end(),
                             [](const ImageItem& i) { return i.round; });
    };
    preparer.request({{p, slot, 1781343300}});
    ASSERT_TRUE(preparer.waitFor({key}, std::chrono::seconds(10)));
    EXPECT_EQ(preparer.prepared(), 1u);
    downloaded = true;
    preparer.request({{p, slot, 1781343300}}); // asked for again, as a picture arrived
    for (int i = 0; i < 1000 && preparer.prepared() < 2; ++i) {
        SDL_Delay(10);
    }
    EXPECT_EQ(preparer.prepared(), 2u);
    std::unique_ptr<PreparedCard> card = preparer.take(key);
    ASSERT_NE(card, nullptr);
    EXPECT_TRUE(card->missingMedia.empty());
    EXPECT_EQ(roundImages(*card), 1) << "the avatar is on the card now";
}

// The wall's picture through a page change, on the cycle's own timeline (t is the clock): the
// outgoing card fades out, then the incoming one fades in (never both at half strength, never a
// cut); slide moves both; "none" cuts cleanly. Measured as the ink on the card: how far its
// pixels are from the plain card colour.
class Transitions : public ::testing::Test {
protected:
    void SetUp() override {
        target = SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_ARGB8888);
        ASSERT_NE(target, nullptr);
        renderer = SDL_CreateSoftwareRenderer(target);
        ASSERT_NE(renderer, nullptr);
        a.id = "mastodon:m.example:10";
        a.author = {"Ana Lima", "@ana@m.example", "", ""};
        a.text = "The first talk starts in the big tent at ten, bring a cushion.";
        b.id = "mastodon:m.example:11";
        b.author = {"Ben Okafor", "@ben@m.example", "", ""};
        b.text = "Coffee is on the pier until noon. Bring your own cup, please!";
        a.createdAt = 1781343300 - 600;
        b.createdAt = 1781343300 - 300;
    }
    void TearDown() override {
        SDL_DestroyRenderer(renderer);
        SDL_FreeSurface(target);
    }

    // The wall at time t of the cycle.
    void drawAt(WallView& view, CardCycle& cycle, double t, WallInfo info = {}) {
        cycle.update({a, b}, t, 1781343300);
        WallFrame frame;
        frame.info = std::move(info);
        frame.info.eventName = "Harbour Camp";
        frame.now = 1781343300;
        frame.page = cycle.page();
        frame.previous = cycle.previousPage();
        frame.progress = cycle.progress(t);
        view.draw(frame, 1280, 720);
        SDL_RenderFlush(renderer);
    }

    // Ink in the left and right halves of the card area, drawn at time t of the cycle.
    std::pair<double, double> inkAt(WallView& view, CardCycle& cycle, double t) {
        drawAt(view, cycle, t);
        const Color card = theme.card;
        double left = 0, right = 0;
        const auto* pixels = static_cast<const std::uint32_t*>(target->pixels);
        for (int y = 140; y < 560; ++y) {
            for (int x = 60; x < 1220; ++x) {
                std::uint8_t r = 0, g = 0, bl = 0;
                SDL_GetRGB(pixels[y * (target->pitch / 4) + x], target->format, &r, &g, &bl);
                const double d =
                    std::abs(r - card.r) + std::abs(g - card.g) + std::abs(bl - card.b);
                (x < 640 ? left : right) += d;
            }
        }
        return {left, right};
    }
    static double total(std::pair<double, double> ink) { return ink.first + ink.second; }

    void fadeOutThenFadeIn(bool composed) {
        CardStyle style{theme, {}, {}};
        ViewOptions options;
        options.composeInSoftware = composed;
        WallView view(renderer, engine(), style, options, nullptr, nullptr);
        CardCycle cycle(6.0, 2.0); // a change at t=6, the old card out by 7, the new one in by 8
        cycle.update({a, b}, 0, 1781343300);
        const double first = total(inkAt(view, cycle, 5.9));
        const std::string firstId = cycle.page().front().id;
        ASSERT_GT(first, 0);
        const double start = total(inkAt(view, cycle, 6.0));
        EXPECT_NE(cycle.page().front().id, firstId);
        EXPECT_GT(start, 0.95 * first) << "the outgoing card is still there as the change begins";
        const double out = total(inkAt(view, cycle, 6.5));
        EXPECT_GT(out, 0.2 * first) << "half way out, the old card is half there";
        EXPECT_LT(out, 0.8 * first);
        EXPECT_LT(total(inkAt(view, cycle, 7.0)), 0.02 * first) << "between the two, an empty card";
        const double in = total(inkAt(view, cycle, 7.5));
        const double second = total(inkAt(view, cycle, 8.0));
        ASSERT_GT(second, 0);
        EXPECT_GT(in, 0.2 * second);
        EXPECT_LT(in, 0.8 * second);
        EXPECT_NEAR(total(inkAt(view, cycle, 9.0)), second, 0.01 * second) << "at rest";
    }

    Theme theme = *themeNamed("dark");
    SDL_Surface* target = nullptr;
    SDL_Renderer* renderer = nullptr;
    Post a, b;
};

// The incoming card waits, invisible, while the outgoing one fades out. Its lines were once
// dropped as "not drawn" in those frames and drawn again on the frame thread when it appeared,
// which undid the preparing ahead and opened every font it needed a second time.
TEST_F(Transitions, ACardWaitingForItsFadeKeepsItsLines) {
    CardStyle style{theme, {}, {}};
    WallView view(renderer, engine(), style, ViewOptions{}, nullptr, nullptr);
    WallFrame frame;
    frame.info.eventName = "Harbour Camp";
    frame.now = 1781343300;
    frame.page = {a};
    view.draw(frame, 1280, 720);
    frame.previous = {a};
    frame.page = {b};
    frame.progress = 0.1; // b is laid out and handed its lines, but not visible yet
    view.draw(frame, 1280, 720);
    const std::size_t before = view.linesRenderedHere();
    for (double p : {0.3, 0.45, 0.7, 1.0}) {
        frame.progress = p;
        view.draw(frame, 1280, 720);
    }
    EXPECT_EQ(view.linesRenderedHere(), before);
}

// Item by item (the software renderer's way) and composed (a GPU renderer's), the same fade.
// Until the organiser logs in, the setup card stands where the posts would: the picture with
// posts on the page is the picture of the setup card alone, and it has the QR code's white.
TEST_F(Transitions, TheSetupCardTakesThePostsPlace) {
    CardStyle style{theme, {}, {}};
    WallView view(renderer, engine(), style, ViewOptions{}, nullptr, nullptr);
    WallFrame frame;
    frame.info.eventName = "Harbour Camp";
    frame.info.setupUrl = "http://192.168.7.20:8080/#setup=" + std::string(64, 'e');
    frame.now = 1781343300;
    const auto picture = [&] {
        view.draw(frame, 1280, 720);
        SDL_RenderFlush(renderer);
        const auto* p = static_cast<const std::uint8_t*>(target->pixels);
        return std::vector<std::uint8_t>(p, p + std::size_t(target->pitch) * target->h);
    };
    const auto alone = picture();
    frame.page = {a, b};
    const auto withPosts = picture();
    EXPECT_TRUE(alone == withPosts) << "a post was drawn over the setup card";
    std::size_t white = 0;
    for (std::size_t i = 0; i + 3 < alone.size(); i += 4) {
        white += alone[i] == 255 && alone[i + 1] == 255 && alone[i + 2] == 255;
    }
    EXPECT_GT(white, 1280u * 720u / 20) << "no QR code on the card";
}

TEST_F(Transitions, FadeOutThenFadeIn) {
    for (bool composed : {false, true}) {
        SCOPED_TRACE(composed ? "composed cards" : "item by item");
        fadeOutThenFadeIn(composed);
    }
}

TEST_F(Transitions, SlideMovesBothCards) {
    CardStyle style{theme, {}, {}};
    ViewOptions options;
    options.transition = Transition::Slide;
    options.composeInSoftware = true; // the cards slide as one texture each
    WallView view(renderer, engine(), style, options, nullptr, nullptr);
    CardCycle cycle(6.0, 2.0);
    cycle.update({a, b}, 0, 1781343300);
    const auto rest = inkAt(view, cycle, 5.9);
    const auto start = inkAt(view, cycle, 6.0);
    EXPECT_NEAR(total(start), total(rest), 0.05 * total(rest)) << "the old card, still in place";
    // Half way, the old card's right half is on the left of the screen and the new card's left
    // half on the right: both halves carry text, and neither is where a card at rest has it.
    const auto middle = inkAt(view, cycle, 7.0);
    EXPECT_GT(middle.first, 0.1 * rest.first);
    EXPECT_GT(middle.second, 0.1 * rest.second);
    const auto end = inkAt(view, cycle, 8.0);
    EXPECT_GT(total(end), 0);
    EXPECT_NE(total(middle), total(end));
}

TEST_F(Transitions, NoneCutsCleanly) {
    CardStyle style{theme, {}, {}};
    WallView view(renderer, engine(), style, ViewOptions{}, nullptr, nullptr);
    CardCycle cycle(6.0, 0.0); // display.transition "none"
    cycle.update({a, b}, 0, 1781343300);
    const double before = total(inkAt(view, cycle, 5.9));
    const double cut = total(inkAt(view, cycle, 6.0));
    EXPECT_EQ(cycle.progress(6.0), 1.0);
    EXPECT_NE(cut, before) << "the next card at the change, with no frame in between";
    EXPECT_NEAR(total(inkAt(view, cycle, 7.0)), cut, 0.01 * cut) << "the new card, at once";
}

// A software GL pays for every pixel of every quad, so a transition frame must not be the
// header's, footer's, QR code's and both cards' items one by one: each card is composed once,
// the chrome once per change, and the pictures stay what they were at rest.
TEST_F(Transitions, AFrameIsAHandfulOfQuads) {
    CardStyle style{theme, {}, {}};
    ViewOptions options;
    options.composeInSoftware = true; // as a GPU renderer always does
    WallView view(renderer, engine(), style, options, nullptr, nullptr);
    CardCycle cycle(6.0, 2.0);
    cycle.update({a, b}, 0, 1781343300);
    const auto draw = [&](double t, const std::string& qr) {
        WallInfo info;
        info.hashtags = {"HarbourCamp"};
        info.callToAction = "Post with #HarbourCamp";
        info.qrUrl = qr;
        info.clock = "10:05";
        drawAt(view, cycle, t, info);
    };
    draw(1.0, "https://harbour.example/wall");
    EXPECT_EQ(view.composed(), 3u) << "the card, the header and the footer";
    const std::size_t atRest = view.quadsLastFrame();
    // Header and footer (one quad each), the card's box (three fills, four corners), the card.
    EXPECT_EQ(atRest, 10u);
    const std::size_t lines = view.linesRenderedHere();
    for (double t : {6.1, 6.4, 6.8, 7.2, 7.6, 8.0}) {
        draw(t, "https://harbour.example/wall");
        EXPECT_LE(view.quadsLastFrame(), atRest) << "t=" << t;
    }
    EXPECT_EQ(view.composed(), 4u) << "the incoming card, once; the chrome was not laid out again";
    EXPECT_EQ(view.linesRenderedHere(), lines);
    draw(9.0, "https://harbour.example/program");
    EXPECT_EQ(view.composed(), 6u) << "a new QR code: header and footer again";
}

// A CJK event name is drawn once and then lives on as a texture; the frame thread must not keep
// the CJK faces it needed open for the rest of the event (2.4 MB of tables each).
TEST(WallView, TheHeaderDoesNotKeepCjkFontsOpen) {
    TextEngine text(defaultFontChain());
    const std::string eventName = "技術キャンプ 2026";
    bool cjk = false;
    for (const auto& [piece, file] : text.fontRuns(eventName, false)) {
        cjk = cjk || file.find("CJK") != std::string::npos;
    }
    ASSERT_TRUE(cjk) << "the test needs fonts-noto-cjk";
    text.releaseGlyphs();
    ASSERT_EQ(text.openLargeFonts(), 0u);
    SDL_Surface* target =
        SDL_CreateRGBSurfaceWithFormat(0, 1280, 720, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(target);
    ASSERT_NE(renderer, nullptr);
    {
        CardStyle style{*themeNamed("dark"), {}, {}};
        WallView view(renderer, text, style, ViewOptions{}, nullptr, nullptr);
        WallFrame frame;
        frame.info.eventName = eventName;
        frame.now = 1781343300;
        view.draw(frame, 1280, 720);
        EXPECT_GT(view.linesRenderedHere(), 0u);
        EXPECT_EQ(text.openLargeFonts(), 0u);
    }
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(target);
}

} // namespace
} // namespace kiosk
