// Turns config sections into the settings objects the network layer takes; shared by fetch
// and the wall so both poll exactly alike.
#pragma once

#include "kiosk/core/Config.h"
#include "kiosk/sources/Source.h"

#include <string>

namespace kiosk {

std::string userAgentFor(const NetworkConfig& network);
PollSettings pollSettingsFor(const NetworkConfig& network);

} // namespace kiosk
