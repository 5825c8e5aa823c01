// See SystemdNotify.h.
#include "kiosk/app/SystemdNotify.h"

#include "kiosk/base/Log.h"

#include <systemd/sd-daemon.h>

namespace kiosk {

SystemdNotify::SystemdNotify() {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        pingEvery_ = std::chrono::milliseconds(usec / 1000 / 2);
        logInfo("app",
                "systemd watchdog: pinging every " + std::to_string(pingEvery_->count()) + " ms");
    }
}

void SystemdNotify::ready(const std::string& status) {
    sd_notifyf(0, "READY=1\nSTATUS=%s", status.c_str());
}

void SystemdNotify::status(const std::string& status) {
    sd_notifyf(0, "STATUS=%s", status.c_str());
}

void SystemdNotify::watchdog() {
    if (!pingEvery_) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - lastPing_ >= *pingEvery_ / 2) {
        sd_notify(0, "WATCHDOG=1");
        lastPing_ = now;
    }
}

void SystemdNotify::extendStart(std::chrono::seconds more) {
    sd_notifyf(0, "EXTEND_TIMEOUT_USEC=%llu",
               static_cast<unsigned long long>(
                   std::chrono::duration_cast<std::chrono::microseconds>(more).count()));
}

} // namespace kiosk
