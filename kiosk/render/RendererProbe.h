// Checks that a renderer's picture is what it was asked to draw: draws the check picture of
// probeSamples() and reads those pixels back before anything is presented. A driver can
// accept every call and still draw nothing (SDL's OpenGL renderer on KMSDRM under Mesa clears
// the screen and drops every rectangle and texture), and nothing else would notice.
#pragma once

#include <optional>
#include <string>

struct SDL_Renderer;

namespace kiosk {

// nullopt when the picture came out right, else what did not (for the log line). Leaves the
// screen cleared to black and the renderer drawing to the screen.
std::optional<std::string> checkRendererDraws(SDL_Renderer* renderer);

} // namespace kiosk
