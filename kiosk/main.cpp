// The executable: hands its arguments to the command line (kiosk/app/CommandLine.cpp).
#include "kiosk/app/Commands.h"

int main(int argc, char** argv) {
    return kiosk::runCommandLine(kiosk::Args(argv + 1, argv + argc));
}
