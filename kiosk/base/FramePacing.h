// How long the frame loop waits after presenting a transition frame. With vsync the present
// itself waits for the display; without it (Xvfb, some KMS drivers, the dummy driver) frames
// would come as fast as the CPU allows, so they are held to the display's rate, and never above
// 60 per second: a fade looks no smoother at 200 fps, it only costs CPU.
#pragma once

#include <algorithm>

namespace kiosk {

// The display's refresh rate as the frame loop uses it: 0 (unknown) and anything above 60 count
// as 60.
inline double frameRateFor(int refreshHz) {
    return refreshHz <= 0 ? 60.0 : std::min(60.0, double(refreshHz));
}

// Seconds to wait before the next frame, given when this one started (seconds, any clock) and
// the time now; 0 when drawing and presenting took the whole frame already.
inline double paceAfterFrame(double frameStart, double now, double frameRate) {
    return std::max(0.0, frameStart + 1.0 / frameRate - now);
}

} // namespace kiosk
