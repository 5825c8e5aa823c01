// See RendererChoice.h.
#include "kiosk/render/RendererChoice.h"

#include "kiosk/base/Log.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>

namespace kiosk {

std::vector<std::string> rendererOrder(std::string_view videoDriver, std::string_view forced,
                                       const std::vector<std::string>& available) {
    std::vector<std::string> preferred;
    if (!forced.empty()) {
        preferred.emplace_back(forced);
    }
    // SDL names the driver "KMSDRM" (SDL_GetCurrentVideoDriver) and "kmsdrm" (SDL_VIDEODRIVER).
    std::string video(videoDriver);
    std::transform(video.begin(), video.end(), video.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (video == "kmsdrm") {
        preferred.insert(preferred.end(), {"opengles2", "opengl"});
    }
    // The dummy and offscreen drivers have no GL: trying it there is only two warnings a start.
    const bool glPossible = video != "dummy" && video != "offscreen";
    for (const auto& name : available) {
        if (name != "software" && glPossible) {
            preferred.push_back(name);
        }
    }
    preferred.emplace_back("software");
    std::vector<std::string> order;
    for (const auto& name : preferred) {
        const bool known = std::find(available.begin(), available.end(), name) != available.end();
        if (known && std::find(order.begin(), order.end(), name) == order.end()) {
            order.push_back(name);
        }
    }
    return order;
}

std::optional<std::string>
chooseRenderer(const std::vector<std::string>& order,
               const std::function<std::optional<std::string>(const std::string&)>& attempt) {
    for (std::size_t i = 0; i < order.size(); ++i) {
        const auto failure = attempt(order[i]);
        if (!failure) {
            return order[i];
        }
        const std::string next = i + 1 < order.size() ? "trying " + order[i + 1] : "none left";
        logWarn("render", "renderer " + order[i] + " dropped: " + *failure + "; " + next);
    }
    return std::nullopt;
}

const std::vector<ProbeSample>& probeSamples() {
    static const std::vector<ProbeSample> samples = {
        {"the cleared ground", 4, 28, {16, 32, 48, 255}},
        {"a filled rectangle", 12, 12, {200, 40, 60, 255}},
        {"a copied texture", 28, 12, {40, 180, 90, 255}},
        // (240, 240, 240) at alpha 128 over the ground.
        {"a blended texture", 44, 12, {128, 136, 144, 255}},
        {"a render target", 60, 12, {230, 200, 30, 255}},
    };
    return samples;
}

namespace {
std::string hex(Color c) {
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", c.r, c.g, c.b);
    return text;
}
} // namespace

std::optional<std::string> compareProbe(const std::vector<ProbeSample>& samples,
                                        const std::vector<Color>& readBack) {
    constexpr int kTolerance = 12;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        const ProbeSample& s = samples[i];
        if (i >= readBack.size()) {
            return s.what + " could not be read back";
        }
        const Color got = readBack[i];
        if (std::abs(got.r - s.expect.r) > kTolerance ||
            std::abs(got.g - s.expect.g) > kTolerance ||
            std::abs(got.b - s.expect.b) > kTolerance) {
            return s.what + " at " + std::to_string(s.x) + "," + std::to_string(s.y) +
                   " read back as " + hex(got) + ", drawn as " + hex(s.expect);
        }
    }
    return std::nullopt;
}

} // namespace kiosk
