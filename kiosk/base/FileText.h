// Reading a whole file into memory: config files, the control page's files, recorded payloads.
#pragma once

#include <optional>
#include <string>

namespace kiosk {

// The file's bytes, or nullopt when it cannot be opened.
std::optional<std::string> readTextFile(const std::string& path);

} // namespace kiosk
