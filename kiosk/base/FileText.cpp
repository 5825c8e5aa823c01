// See FileText.h.
#include "kiosk/base/FileText.h"

#include <fstream>
#include <sstream>

namespace kiosk {

std::optional<std::string> readTextFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace kiosk
