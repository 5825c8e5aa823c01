// Which of SDL's render drivers the wall tries on a display, and in what order, and the walk
// down that list that drops a driver whose picture does not match what it was asked to draw.
// Plain C++: the SDL side (creating a renderer and reading its pixels back) is a callback, so
// tests drive the fallback with a fake (RendererChoice.* in render_tests).
#pragma once

#include "kiosk/layout/Theme.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

// The drivers to try, best first, among those SDL has (`available`, in SDL's own order).
// On KMSDRM, OpenGL ES 2 comes first: it is the Pi's own API, and SDL's desktop OpenGL
// renderer there clears the screen but draws no rectangle or texture and has no render targets.
// `forced` (SDL_RENDER_DRIVER, when the organiser set it) goes first; the rest stay behind it,
// so a forced driver that draws nothing still ends on a picture. Software always comes last.
std::vector<std::string> rendererOrder(std::string_view videoDriver, std::string_view forced,
                                       const std::vector<std::string>& available);

// Tries each driver in turn: `attempt` opens it and checks what it draws, answering nullopt
// when it works or why it does not. Returns the first that works (nullopt when none does); each
// dropped driver is logged with the reason and the one tried next.
std::optional<std::string>
chooseRenderer(const std::vector<std::string>& order,
               const std::function<std::optional<std::string>(const std::string&)>& attempt);

// The check picture every renderer draws before its first present: one point inside each part,
// the colour it must read back as, and what drew it, for the log line.
struct ProbeSample {
    std::string what;
    int x = 0, y = 0;
    Color expect;
};

// The parts of the check picture (within 72x32 pixels at the top left): the cleared ground, a
// filled rectangle, a texture copied opaque, one blended at half alpha, and one drawn through
// a render target (how cards are composed).
const std::vector<ProbeSample>& probeSamples();

// nullopt when every sample read back within a small tolerance of what was drawn (16-bit
// framebuffers and dithering round colours), else the first that did not, with both colours.
std::optional<std::string> compareProbe(const std::vector<ProbeSample>& samples,
                                        const std::vector<Color>& readBack);

} // namespace kiosk
