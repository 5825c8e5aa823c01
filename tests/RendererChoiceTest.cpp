// Which renderer the wall draws with: OpenGL ES 2 first on KMSDRM, the organiser's choice
// first when set, software last; a renderer whose check picture reads back wrong is dropped
// for the next with a log line naming what came out wrong; the check itself on SDL's software
// renderer, which draws right, and on a surface whose colours cannot hold the picture.
#include "kiosk/render/RendererChoice.h"
#include "kiosk/base/Log.h"
#include "kiosk/render/RendererProbe.h"

#include <SDL.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiosk {
namespace {

using Names = std::vector<std::string>;
// The order Debian's SDL 2.26 lists its render drivers in.
const Names kDebianSdl = {"opengl", "opengles2", "opengles", "software"};

TEST(RendererOrder, KmsdrmPutsOpenGlEs2FirstAndSoftwareLast) {
    EXPECT_EQ(rendererOrder("kmsdrm", "", kDebianSdl),
              (Names{"opengles2", "opengl", "opengles", "software"}));
    // What SDL_GetCurrentVideoDriver answers on the console.
    EXPECT_EQ(rendererOrder("KMSDRM", "", kDebianSdl),
              (Names{"opengles2", "opengl", "opengles", "software"}));
}

TEST(RendererOrder, ADesktopKeepsSdlsOwnOrder) {
    EXPECT_EQ(rendererOrder("x11", "", kDebianSdl), kDebianSdl);
    // Without GL (the dummy driver of tests and `kiosk shot`'s kin) only software is tried.
    EXPECT_EQ(rendererOrder("dummy", "", kDebianSdl), (Names{"software"}));
    EXPECT_EQ(rendererOrder("dummy", "opengl", kDebianSdl), (Names{"opengl", "software"}));
}

TEST(RendererOrder, TheOrganisersChoiceGoesFirstAndTheRestStayBehindIt) {
    EXPECT_EQ(rendererOrder("kmsdrm", "opengl", kDebianSdl),
              (Names{"opengl", "opengles2", "opengles", "software"}));
    EXPECT_EQ(rendererOrder("kmsdrm", "software", kDebianSdl),
              (Names{"software", "opengles2", "opengl", "opengles"}));
    // A name SDL does not have is not tried.
    EXPECT_EQ(rendererOrder("kmsdrm", "vulkan", kDebianSdl),
              (Names{"opengles2", "opengl", "opengles", "software"}));
}

TEST(RendererOrder, OnlyWhatThisSdlWasBuiltWith) {
    EXPECT_EQ(rendererOrder("kmsdrm", "", {"opengl", "software"}), (Names{"opengl", "software"}));
}

struct LogCapture {
    LogCapture() {
        setLogSink([this](LogLevel level, std::string_view module, std::string_view message) {
            if (level == LogLevel::Warn) {
                lines.push_back(std::string(module) + ": " + std::string(message));
            }
        });
    }
    ~LogCapture() { setLogSink(nullptr); }
    std::vector<std::string> lines;
};

TEST(ChooseRenderer, ARendererThatDrawsWrongIsDroppedForTheNext) {
    LogCapture log;
    Names tried;
    const auto chosen = chooseRenderer(
        rendererOrder("kmsdrm", "", kDebianSdl),
        [&](const std::string& name) -> std::optional<std::string> {
            tried.push_back(name);
            if (name == "opengles2") {
                return "cannot start: Could not create GLES window surface";
            }
            if (name == "opengl") {
                return "a filled rectangle at 12,12 read back as #102030, drawn as #c8283c";
            }
            return std::nullopt;
        });
    EXPECT_EQ(chosen, "opengles");
    EXPECT_EQ(tried, (Names{"opengles2", "opengl", "opengles"}));
    ASSERT_EQ(log.lines.size(), 2u);
    EXPECT_EQ(log.lines[0], "render: renderer opengles2 dropped: cannot start: Could not create "
                            "GLES window surface; trying opengl");
    EXPECT_EQ(log.lines[1], "render: renderer opengl dropped: a filled rectangle at 12,12 read "
                            "back as #102030, drawn as #c8283c; trying opengles");
}

TEST(ChooseRenderer, NoneThatDrawsIsNoRenderer) {
    LogCapture log;
    const auto chosen = chooseRenderer({"opengl", "software"}, [](const std::string&) {
        return std::optional<std::string>("no render targets");
    });
    EXPECT_EQ(chosen, std::nullopt);
    ASSERT_EQ(log.lines.size(), 2u);
    EXPECT_EQ(log.lines[1], "render: renderer software dropped: no render targets; none left");
}

std::vector<Color> expected() {
    std::vector<Color> colors;
    for (const auto& s : probeSamples()) {
        colors.push_back(s.expect);
    }
    return colors;
}

TEST(CompareProbe, WhatWasDrawnPasses) {
    EXPECT_EQ(compareProbe(probeSamples(), expected()), std::nullopt);
}

TEST(CompareProbe, A16BitFramebuffersRoundingPasses) {
    // RGB565 keeps 5 bits of red and blue: 200 -> 197, 60 -> 57, and so on.
    std::vector<Color> read = expected();
    for (auto& c : read) {
        c.r = std::uint8_t(c.r & 0xf8);
        c.g = std::uint8_t(c.g & 0xfc);
        c.b = std::uint8_t(c.b & 0xf8);
    }
    EXPECT_EQ(compareProbe(probeSamples(), read), std::nullopt);
}

TEST(CompareProbe, OnlyTheClearReachingTheScreenNamesTheRectangle) {
    // What SDL's OpenGL renderer on KMSDRM gave: the clear, and nothing drawn over it.
    const std::vector<Color> read(probeSamples().size(), probeSamples()[0].expect);
    EXPECT_EQ(compareProbe(probeSamples(), read),
              "a filled rectangle at 12,12 read back as #102030, drawn as #c8283c");
}

TEST(CompareProbe, AMissingBlendOrTargetIsNamed) {
    std::vector<Color> read = expected();
    read[3] = {240, 240, 240, 255}; // the blended texture drawn opaque
    EXPECT_EQ(compareProbe(probeSamples(), read),
              "a blended texture at 44,12 read back as #f0f0f0, drawn as #808890");
    read = expected();
    read.pop_back();
    EXPECT_EQ(compareProbe(probeSamples(), read), "a render target could not be read back");
}

TEST(CheckRendererDraws, SdlsSoftwareRendererDrawsTheCheckPicture) {
    SDL_Surface* target = SDL_CreateRGBSurfaceWithFormat(0, 320, 180, 32, SDL_PIXELFORMAT_ARGB8888);
    ASSERT_NE(target, nullptr);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(target);
    ASSERT_NE(renderer, nullptr);
    EXPECT_EQ(checkRendererDraws(renderer), std::nullopt);
    // The check picture is not left on the screen.
    const auto* px = static_cast<const Uint32*>(target->pixels);
    EXPECT_EQ(px[12 * target->w + 12] & 0xffffff, 0u);
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(target);
}

TEST(CheckRendererDraws, ASurfaceThatCannotHoldTheColoursIsCaught) {
    // 8 bits a pixel (3 red, 3 green, 2 blue): the ground comes out far from what was drawn.
    SDL_Surface* target = SDL_CreateRGBSurfaceWithFormat(0, 320, 180, 8, SDL_PIXELFORMAT_RGB332);
    ASSERT_NE(target, nullptr);
    SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(target);
    ASSERT_NE(renderer, nullptr) << SDL_GetError();
    const auto failure = checkRendererDraws(renderer);
    ASSERT_NE(failure, std::nullopt);
    EXPECT_EQ(failure->rfind("the cleared ground at 4,28 read back as #", 0), 0u) << *failure;
    SDL_DestroyRenderer(renderer);
    SDL_FreeSurface(target);
}

} // namespace
} // namespace kiosk
