// Entry point: picks the subcommand (the wall itself when none is given) and sets up logging.
#include "kiosk/app/Commands.h"
#include "kiosk/base/Log.h"
#include "kiosk/net/CurlHttpClient.h"
#include "kiosk/render/SdlMemory.h"

#include <cstring>
#include <iostream>

namespace {

const char* kUsage = R"(usage: kiosk [COMMAND] [OPTIONS]

Commands:
  (none)   run the wall: kiosk [--config FILE] [--windowed WxH]
  check    validate a config file
  parse    print the posts in a recorded API payload as JSON lines
  fetch    poll every configured source once and print the posts
  shot     render the wall headlessly to a PNG

Options for every command: --help, --version, --log-level debug|info|warn|error
)";

} // namespace

int main(int argc, char** argv) {
    kiosk::limitSdlAllocations(); // before SDL allocates anything or any thread starts
    std::vector<std::string> args(argv + 1, argv + argc);
    // --log-level is global; take it out before the subcommand sees its arguments.
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string value;
        if (args[i] == "--log-level" && i + 1 < args.size()) {
            value = args[i + 1];
            args.erase(args.begin() + long(i), args.begin() + long(i) + 2);
        } else if (args[i].rfind("--log-level=", 0) == 0) {
            value = args[i].substr(12);
            args.erase(args.begin() + long(i));
        } else {
            continue;
        }
        kiosk::LogLevel level;
        if (!kiosk::parseLogLevel(value, level)) {
            std::cerr << "kiosk: --log-level expects debug, info, warn, error or off\n";
            return 2;
        }
        kiosk::setLogLevel(level);
        --i;
    }
    for (const auto& a : args) {
        if (a == "--version") {
            std::cout << "kiosk " KIOSK_VERSION "\n";
            return 0;
        }
    }
    std::string command;
    if (!args.empty() && args[0].rfind("--", 0) != 0) {
        command = args[0];
        args.erase(args.begin());
    }
    kiosk::initCurlGlobal();
    if (command.empty()) {
        for (const auto& a : args) {
            if (a == "--help") {
                std::cout << kUsage;
                return 0;
            }
        }
        return kiosk::runWall(args);
    }
    if (command == "parse") {
        return kiosk::runParse(args);
    }
    if (command == "check") {
        return kiosk::runCheck(args);
    }
    if (command == "fetch") {
        return kiosk::runFetch(args);
    }
    if (command == "shot") {
        return kiosk::runShot(args);
    }
    if (command == "help") {
        std::cout << kUsage;
        return 0;
    }
    std::cerr << "kiosk: unknown command \"" << command << "\"\n" << kUsage;
    return 2;
}
