// The command line: the global options (--log-level, --version), the process-wide set-up every
// command shares (SDL's allocation ceiling, curl's global state, both before any thread starts),
// then the subcommand, the wall itself when none is given.
#include "kiosk/app/Commands.h"
#include "kiosk/base/Log.h"
#include "kiosk/net/CurlHttpClient.h"
#include "kiosk/render/SdlMemory.h"

#include <iostream>

namespace kiosk {
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

int runCommandLine(Args args) {
    limitSdlAllocations(); // before SDL allocates anything or any thread starts
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
        LogLevel level;
        if (!parseLogLevel(value, level)) {
            std::cerr << "kiosk: --log-level expects debug, info, warn, error or off\n";
            return 2;
        }
        setLogLevel(level);
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
    initCurlGlobal();
    if (command.empty()) {
        for (const auto& a : args) {
            if (a == "--help") {
                std::cout << kUsage;
                return 0;
            }
        }
        return runWall(args);
    }
    if (command == "parse") {
        return runParse(args);
    }
    if (command == "check") {
        return runCheck(args);
    }
    if (command == "fetch") {
        return runFetch(args);
    }
    if (command == "shot") {
        return runShot(args);
    }
    if (command == "help") {
        std::cout << kUsage;
        return 0;
    }
    std::cerr << "kiosk: unknown command \"" << command << "\"\n" << kUsage;
    return 2;
}

} // namespace kiosk
