// Placeholder until the renderer lands in the next commit.
#include "kiosk/app/Commands.h"

#include <iostream>

namespace kiosk {
int runShot(const Args&) { std::cerr << "kiosk shot: not built yet\n"; return 1; }
int runWall(const Args&) { std::cerr << "kiosk: not built yet\n"; return 1; }
} // namespace kiosk
