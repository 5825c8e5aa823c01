// `kiosk shot` of the offline demo: byte-identical PNGs for identical inputs, the requested
// size, and real content on the card (not a blank or single-colour image).
#include "TestSupport.h"

#include <SDL.h>
#include <SDL_image.h>

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace kiosk {
namespace {

struct Shot {
    int w = 0, h = 0;
    std::size_t colours = 0;
    std::size_t brightInCard = 0; // text-like pixels inside the card area
};

Shot inspect(const std::string& path) {
    Shot s;
    SDL_Surface* raw = IMG_Load(path.c_str());
    if (!raw) {
        ADD_FAILURE() << path << ": " << IMG_GetError();
        return s;
    }
    SDL_Surface* img = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    s.w = img->w;
    s.h = img->h;
    std::set<Uint32> colours;
    const auto* px = static_cast<const Uint32*>(img->pixels);
    for (int y = 0; y < img->h; ++y) {
        for (int x = 0; x < img->w; ++x) {
            const Uint32 p = px[y * (img->pitch / 4) + x];
            colours.insert(p);
            const int r = (p >> 16) & 0xFF, g = (p >> 8) & 0xFF, b = p & 0xFF;
            const bool inCard = y > img->h / 6 && y < img->h * 5 / 6;
            s.brightInCard += inCard && r + g + b > 600;
        }
    }
    s.colours = colours.size();
    SDL_FreeSurface(img);
    return s;
}

class DemoShot : public ::testing::TestWithParam<std::string> {};

TEST_P(DemoShot, IsDeterministicAndShowsAPost) {
    const std::string size = GetParam();
    const std::string a = test::writeTempFile("shot-a-" + size + ".png", "");
    const std::string b = test::writeTempFile("shot-b-" + size + ".png", "");
    const std::vector<std::string> common = {
        "shot",   "--config", KIOSK_SOURCE_DIR "/config/kiosk.json",
        "--size", size,       "--at",
        "30",     "--now",    "2026-06-13T12:00:00Z",
        "--out"};
    auto argsA = common, argsB = common;
    argsA.push_back(a);
    argsB.push_back(b);
    const auto ra = test::runKiosk(argsA);
    const auto rb = test::runKiosk(argsB);
    ASSERT_EQ(ra.exitCode, 0) << ra.err;
    ASSERT_EQ(rb.exitCode, 0) << rb.err;
    const std::string bytesA = test::readFile(a);
    ASSERT_GT(bytesA.size(), 10000u);
    EXPECT_EQ(bytesA, test::readFile(b)) << "same inputs gave different PNGs";
    const Shot s = inspect(a);
    EXPECT_EQ(std::to_string(s.w) + "x" + std::to_string(s.h), size);
    EXPECT_GT(s.colours, 50u);        // anti-aliased text, emoji, shapes
    EXPECT_GT(s.brightInCard, 2000u); // a post's text is on the card
}

INSTANTIATE_TEST_SUITE_P(Sizes, DemoShot, ::testing::Values("1920x1080", "1280x800"));

TEST(Shot, DifferentTimesShowDifferentCards) {
    const std::string a = test::writeTempFile("t0.png", "");
    const std::string b = test::writeTempFile("t13.png", "");
    for (const auto& [at, out] : {std::pair{"0", a}, std::pair{"13", b}}) {
        const auto r =
            test::runKiosk({"shot", "--config", KIOSK_SOURCE_DIR "/config/kiosk.json", "--size",
                            "1280x800", "--now", "2026-06-13T12:00:00Z", "--at", at, "--out", out});
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    EXPECT_NE(test::readFile(a), test::readFile(b));
}

TEST(Shot, NoReachableSourceStillDrawsTheWall) {
    const std::string config = test::writeTempFile(
        "offline.json", R"({"event": {"name": "Offline Camp", "hashtags": ["Offline"]},
        "sources": [{"type": "mastodon", "server": "https://m.example", "hashtags": ["x"],
                     "url": "file:/nonexistent/timeline.json"}]})");
    const std::string out = test::writeTempFile("offline.png", "");
    const auto r = test::runKiosk({"shot", "--config", config, "--size", "1280x800", "--out", out});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    const Shot s = inspect(out);
    EXPECT_EQ(s.w, 1280);
    EXPECT_GT(s.colours, 20u); // header, footer, "waiting" text: never a black screen
}

TEST(Shot, PanicLeavesOnlyAnnouncements) {
    const std::string demo = std::string(KIOSK_SOURCE_DIR) + "/assets/demo/";
    const std::string config =
        test::writeTempFile("panic.json", R"({"event": {"name": "Camp"},
        "announcements": [{"id": "calm", "text": "Back in a moment"}],
        "moderation": {"panic": "announcements"},
        "sources": [{"type": "mastodon", "server": "https://social.vcss.example",
                     "hashtags": ["VCSSCamp"], "url": "file:)" +
                                              demo + R"(mastodon_tag_vcsscamp.json"}]})");
    const std::string out = test::writeTempFile("panic.png", "");
    for (const char* at : {"0", "40", "95"}) {
        const auto r = test::runKiosk({"shot", "--config", config, "--out", out, "--size",
                                       "1280x800", "--at", at, "--log-level", "debug"});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        EXPECT_NE(r.err.find("s: announcement:calm"), std::string::npos) << r.err;
        EXPECT_EQ(r.err.find("s: mastodon:"), std::string::npos) << r.err;
    }
}

TEST(Shot, WithTheVenueQrTheFooterPointsAtTheAttendeePageAsOnTheWall) {
    // The live wall sets the QR code once its page listens; a shot has no listener but must
    // show the same footer: the same as a config that names the page and its words itself.
    const std::string common = R"("sources": [{"type": "mastodon",
        "server": "https://social.vcss.example", "hashtags": ["VCSSCamp"],
        "url": "file:)" + std::string(KIOSK_SOURCE_DIR) +
                               R"(/assets/demo/mastodon_tag_vcsscamp.json"}],
        "admin": {"listen": "127.0.0.1", "port": 18123},)";
    const std::string venue = test::writeTempFile(
        "venue-qr.json", "{" + common + R"("venue": {"enabled": true, "qr": true},
        "event": {"name": "Harbour Camp", "hashtags": ["HarbourCamp"],
                  "url": "https://harbour.example/wall"}})");
    const std::string named =
        test::writeTempFile("named-qr.json", "{" + common + R"("event": {"name": "Harbour Camp",
        "hashtags": ["HarbourCamp"], "url": "http://127.0.0.1:18123/post",
        "call_to_action": "Scan to post here, or use #HarbourCamp"}})");
    const std::string web = test::writeTempFile(
        "web-qr.json", "{" + common + R"("venue": {"enabled": true, "qr": false},
        "event": {"name": "Harbour Camp", "hashtags": ["HarbourCamp"],
                  "url": "https://harbour.example/wall"}})");
    std::map<std::string, std::string> png;
    for (const auto& config : {venue, named, web}) {
        const std::string out = config + ".png";
        const auto r = test::runKiosk({"shot", "--config", config, "--size", "1280x720", "--now",
                                       "2026-06-13T12:00:00Z", "--out", out});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        png[config] = test::readFile(out);
    }
    // (Compared as booleans: a failure printing two PNGs helps nobody.)
    EXPECT_TRUE(png[venue] == png[named]) << "the venue QR and its words, as the live wall has";
    EXPECT_FALSE(png[venue] == png[web]) << "with qr off the footer keeps the event's address";
}

TEST(Shot, BadArgumentsAreRefused) {
    EXPECT_EQ(test::runKiosk({"shot", "--size", "huge", "--out", "/tmp/x.png"}).exitCode, 2);
    EXPECT_EQ(test::runKiosk({"shot", "--at", "-3", "--out", "/tmp/x.png"}).exitCode, 2);
    EXPECT_EQ(test::runKiosk({"shot", "--now", "noon", "--out", "/tmp/x.png"}).exitCode, 2);
    EXPECT_EQ(test::runKiosk({"shot"}).exitCode, 2);
}

} // namespace
} // namespace kiosk
