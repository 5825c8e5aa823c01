// Writing the organiser's changes back into the config file, so that what they set from the
// control page survives a restart. The change is applied to the file's own JSON (keys keep their
// order, untouched sections stay as written), the result must load as a config before anything
// is written, and the file is replaced atomically with the previous version kept as FILE.bak.
#pragma once

#include "kiosk/config/Config.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>

namespace kiosk {

using ConfigPatch = std::function<void(nlohmann::ordered_json& doc)>;

// The new config on success; on failure the file is unchanged and the error names the file and
// field (a patch may throw std::invalid_argument with a field-naming message).
Result<Config> rewriteConfigFile(const std::string& path, const ConfigPatch& patch);

// Writes text to path through a temporary file, fsync and rename; keeps the old file as
// path + ".bak" when there was one.
Result<bool> replaceFileAtomically(const std::string& path, const std::string& text);

} // namespace kiosk
