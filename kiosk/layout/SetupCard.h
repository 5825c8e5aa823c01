// The card a new wall shows until its organiser has logged in once: what to do, the control
// page's address to type, and a QR code holding the one-time link (whose secret, after the
// "#", is never printed as text). Part of the chrome (layoutChrome), drawn in the first slot.
#pragma once

#include "kiosk/layout/Layout.h"
#include "kiosk/layout/Theme.h"

#include <string>

namespace kiosk {

// scale is the screen's (1 at 1920x1080).
void layoutSetupCard(Layer& layer, const std::string& setupUrl, const Rect& slot,
                     const Theme& theme, double scale, TextMeasurer& measure);

} // namespace kiosk
