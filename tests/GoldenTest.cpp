// Golden images: `kiosk shot` of cards in every script we promise (Latin, Arabic with digits,
// Hebrew, Japanese, Thai, emoji sequences), a 500-character post, a content warning, a picture,
// and each layout at 1920x1080, 1280x800 and 1024x768, compared with reviewed PNGs in
// tests/golden/ with a tolerance for anti-aliasing. KIOSK_UPDATE_GOLDENS=1 rewrites them;
// look at every changed PNG before committing it.
#include "TestSupport.h"

#include <SDL.h>
#include <SDL_image.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace kiosk {
namespace {

namespace fs = std::filesystem;

struct Golden {
    std::string name;
    std::string config; // under tests/fixtures/golden
    std::string size;
    double at;
};
void PrintTo(const Golden& g, std::ostream* os) {
    *os << g.name;
}

struct Difference {
    double meanAbs = 0;     // per channel, 0..255
    double badFraction = 0; // pixels off by more than 40 in some channel
    std::string problem;    // size mismatch or unreadable file
};

SDL_Surface* loadArgb(const std::string& path) {
    SDL_Surface* raw = IMG_Load(path.c_str());
    if (!raw) {
        return nullptr;
    }
    SDL_Surface* s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    return s;
}

Difference compare(const std::string& expectedPath, const std::string& actualPath) {
    Difference d;
    SDL_Surface* e = loadArgb(expectedPath);
    SDL_Surface* a = loadArgb(actualPath);
    if (!e || !a) {
        d.problem = "cannot read " + (e ? actualPath : expectedPath);
    } else if (e->w != a->w || e->h != a->h) {
        d.problem = "size differs";
    } else {
        double total = 0;
        std::size_t bad = 0;
        for (int y = 0; y < e->h; ++y) {
            const auto* pe = static_cast<const Uint32*>(e->pixels) + y * (e->pitch / 4);
            const auto* pa = static_cast<const Uint32*>(a->pixels) + y * (a->pitch / 4);
            for (int x = 0; x < e->w; ++x) {
                int worst = 0;
                for (int shift : {0, 8, 16}) {
                    const int diff =
                        std::abs(int((pe[x] >> shift) & 0xFF) - int((pa[x] >> shift) & 0xFF));
                    total += diff;
                    worst = std::max(worst, diff);
                }
                bad += worst > 40;
            }
        }
        const double pixels = double(e->w) * e->h;
        d.meanAbs = total / (pixels * 3);
        d.badFraction = bad / pixels;
    }
    SDL_FreeSurface(e);
    SDL_FreeSurface(a);
    return d;
}

class Goldens : public ::testing::TestWithParam<Golden> {};

TEST_P(Goldens, MatchTheReviewedImage) {
    const Golden& g = GetParam();
    const std::string golden = std::string(KIOSK_SOURCE_DIR) + "/tests/golden/" + g.name + ".png";
    const std::string actual =
        (fs::temp_directory_path() / ("kiosk-golden-" + g.name + ".png")).string();
    const auto r = test::runKiosk({"shot", "--config", test::fixture("golden/" + g.config),
                                   "--size", g.size, "--at", std::to_string(g.at), "--now",
                                   "2026-06-13T11:05:00Z", "--out", actual});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const char* update = std::getenv("KIOSK_UPDATE_GOLDENS");
    if (update && std::string(update) == "1") {
        fs::copy_file(actual, golden, fs::copy_options::overwrite_existing);
        GTEST_SKIP() << "rewrote " << golden;
    }
    ASSERT_TRUE(fs::exists(golden)) << golden << " is missing; run the test with "
                                    << "KIOSK_UPDATE_GOLDENS=1 and review the image";
    const Difference d = compare(golden, actual);
    ASSERT_EQ(d.problem, "") << g.name;
    EXPECT_LT(d.meanAbs, 1.5) << g.name << " differs from " << golden << "; see " << actual;
    EXPECT_LT(d.badFraction, 0.003) << g.name << " differs from " << golden << "; see " << actual;
}

std::vector<Golden> goldens() {
    std::vector<Golden> out;
    const char* cards[] = {"latin",  "arabic_digits",   "hebrew",   "japanese",
                           "thai",   "emoji_sequences", "long_500", "content_warning",
                           "picture"};
    for (int i = 0; i < 9; ++i) {
        out.push_back(
            {std::string("card_") + cards[i], "spotlight.json", "1280x800", i * 10 + 5.0});
    }
    for (const char* layout : {"spotlight", "grid", "rail"}) {
        for (const char* size : {"1920x1080", "1280x800", "1024x768"}) {
            out.push_back({std::string("layout_") + layout + "_" + size,
                           std::string(layout) + ".json", size, 5.0});
        }
    }
    return out;
}

INSTANTIATE_TEST_SUITE_P(All, Goldens, ::testing::ValuesIn(goldens()),
                         [](const auto& row) { return row.param.name; });

} // namespace
} // namespace kiosk
