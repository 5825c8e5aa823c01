// Tiny flag reader shared by the subcommands: "--name value", "--name=value" and switches, with
// a clear message for unknown or incomplete flags. Not a general library; it fits our contract.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kiosk {

struct ParsedArgs {
    std::map<std::string, std::string> values;
    std::set<std::string> switches;
    std::vector<std::string> positional;
    std::string error; // "" when the arguments were fine

    std::optional<std::string> get(const std::string& name) const;
    bool has(const std::string& name) const { return switches.count(name) > 0; }
};

// valueFlags take an argument, switchFlags do not; both given without the leading "--".
ParsedArgs parseArgs(const std::vector<std::string>& args, const std::set<std::string>& valueFlags,
                     const std::set<std::string>& switchFlags);

// "1920x1080" -> {1920, 1080}; nullopt when malformed or out of range.
std::optional<std::pair<int, int>> parseSize(const std::string& text);

} // namespace kiosk
