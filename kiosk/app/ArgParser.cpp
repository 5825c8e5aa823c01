// See ArgParser.h.
#include "kiosk/app/ArgParser.h"

#include <charconv>

namespace kiosk {

std::optional<std::string> ParsedArgs::get(const std::string& name) const {
    auto it = values.find(name);
    if (it == values.end()) {
        return std::nullopt;
    }
    return it->second;
}

ParsedArgs parseArgs(const std::vector<std::string>& args, const std::set<std::string>& valueFlags,
                     const std::set<std::string>& switchFlags) {
    ParsedArgs out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg == "--") {
            out.positional.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (switchFlags.count(name)) {
            out.switches.insert(name);
        } else if (valueFlags.count(name)) {
            if (inlineValue) {
                out.values[name] = *inlineValue;
            } else if (i + 1 < args.size()) {
                out.values[name] = args[++i];
            } else {
                out.error = "--" + name + " needs a value";
                return out;
            }
        } else {
            out.error = "unknown option --" + name + " (see --help)";
            return out;
        }
    }
    return out;
}

std::optional<std::pair<int, int>> parseSize(const std::string& text) {
    const auto x = text.find('x');
    if (x == std::string::npos) {
        return std::nullopt;
    }
    int w = 0, h = 0;
    auto r1 = std::from_chars(text.data(), text.data() + x, w);
    auto r2 = std::from_chars(text.data() + x + 1, text.data() + text.size(), h);
    if (r1.ec != std::errc() || r1.ptr != text.data() + x || r2.ec != std::errc() ||
        r2.ptr != text.data() + text.size() || w < 320 || h < 200 || w > 8192 || h > 8192) {
        return std::nullopt;
    }
    return std::make_pair(w, h);
}

} // namespace kiosk
