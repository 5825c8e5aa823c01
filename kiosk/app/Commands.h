// The command-line contract (docs/ARCHITECTURE.md): each subcommand is a function taking its
// arguments (after the command name) and returning the process exit code.
#pragma once

#include <string>
#include <vector>

namespace kiosk {

using Args = std::vector<std::string>;

int runParse(const Args& args);
int runCheck(const Args& args);
int runFetch(const Args& args);
int runShot(const Args& args);
int runWall(const Args& args);
// The whole command line (without the program name): global options, then the subcommand.
int runCommandLine(Args args);

} // namespace kiosk
