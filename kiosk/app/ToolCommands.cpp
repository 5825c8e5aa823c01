// The headless commands that need neither a display nor a network of their own: parse, check
// and fetch. They print what tests and organisers read; see the command-line contract in
// docs/ARCHITECTURE.md.
#include "kiosk/app/ArgParser.h"
#include "kiosk/app/Commands.h"
#include "kiosk/app/Wall.h"
#include "kiosk/app/WallSetup.h"
#include "kiosk/base/FileText.h"
#include "kiosk/base/Log.h"
#include "kiosk/config/Config.h"
#include "kiosk/sources/SourceRegistry.h"

#include <ctime>
#include <iostream>

namespace kiosk {
namespace {

int usageError(const std::string& command, const std::string& message) {
    std::cerr << "kiosk " << command << ": " << message << "\n";
    return 2;
}

} // namespace

int runParse(const Args& args) {
    auto a = parseArgs(args, {"format", "server"}, {"help"});
    if (a.has("help")) {
        std::cout << "usage: kiosk parse --format FORMAT [--server HOST] FILE\n"
                     "Prints one JSON object per post found in FILE (a recorded API payload).\n"
                     "Formats:\n";
        for (const auto& type : sourceTypes()) {
            std::cout << "  " << type.name << "  " << type.description << "\n";
        }
        return 0;
    }
    if (!a.error.empty()) {
        return usageError("parse", a.error);
    }
    const auto format = a.get("format");
    if (!format || a.positional.size() != 1) {
        return usageError("parse", "usage: kiosk parse --format FORMAT FILE");
    }
    const SourceType* type = findSourceType(*format);
    if (!type) {
        std::cerr << "kiosk parse: unknown format \"" << *format << "\" (known: " << formatNames()
                  << ")\n";
        return 1;
    }
    const std::string& file = a.positional[0];
    const auto body = readTextFile(file);
    if (!body) {
        std::cerr << "kiosk parse: " << file << ": cannot open the file\n";
        return 1;
    }
    // Records without a date are stamped with the time of this run, as the wall would do.
    auto parsed = type->parse(
        *body, ParseContext{a.get("server").value_or(""), UnixTime(std::time(nullptr))});
    if (!parsed) {
        std::cerr << "kiosk parse: " << file << ": " << parsed.error() << "\n";
        return 1;
    }
    for (const auto& skipped : parsed->skipped) {
        logWarn(type->name, file + ": skipped " + skipped);
    }
    for (const auto& post : parsed->posts) {
        std::cout << toJsonLine(post) << "\n";
    }
    return 0;
}

int runCheck(const Args& args) {
    auto a = parseArgs(args, {"config"}, {"help"});
    if (a.has("help")) {
        std::cout << "usage: kiosk check --config FILE\n"
                     "Validates a config file: exit 0 when it is good, 2 with one line per "
                     "problem otherwise.\n";
        return 0;
    }
    if (!a.error.empty()) {
        return usageError("check", a.error);
    }
    const std::string path = a.get("config").value_or("config/kiosk.json");
    auto config = loadConfigFile(path);
    if (!config) {
        std::cerr << config.error() << "\n";
        return 2;
    }
    std::cout << path << ": ok, " << config->sources.size() << " source(s)\n";
    return 0;
}

int runFetch(const Args& args) {
    auto a = parseArgs(args, {"config"}, {"help", "once"});
    if (a.has("help")) {
        std::cout
            << "usage: kiosk fetch --config FILE --once\n"
               "Polls every configured source once and prints the posts as JSON lines;\n"
               "one health line per source goes to stderr. Exit 1 when every source failed.\n";
        return 0;
    }
    if (!a.error.empty()) {
        return usageError("fetch", a.error);
    }
    if (!a.has("once")) {
        return usageError("fetch", "only --once is supported; the wall itself polls continuously");
    }
    const std::string path = a.get("config").value_or("config/kiosk.json");
    auto config = loadConfigFile(path);
    if (!config) {
        std::cerr << config.error() << "\n";
        return 2;
    }
    // Only what this poll brings is printed: stored posts are not restored.
    Wall wall(std::move(config.value()), {WallPurpose::Fetch, nullptr, nullptr, nullptr});
    wall.fetch().pollOnce();
    for (const auto& post : wallPosts(*wall.store().snapshot(), wall.moderator())) {
        std::cout << toJsonLine(post) << "\n"; // panic holds back what would show
    }
    std::cerr << "moderation: " << wall.ingest().summary() << "\n";
    std::size_t failed = 0;
    const UnixTime now = std::time(nullptr);
    for (const auto& h : wall.fetch().health()) {
        std::cerr << "health: " << describeHealth(h, now) << "\n";
        failed += !h.ok;
    }
    const std::size_t sources = wall.config().sources.size();
    return (sources > 0 && failed == sources) ? 1 : 0;
}

} // namespace kiosk
