// Talking to systemd when it started the wall as a Type=notify service: READY once the first
// frame is up, a watchdog ping from the frame loop (so a hung loop is restarted), a status line
// for `systemctl status`, and more start time while waiting for a display. Every call does
// nothing when the wall was not started by systemd.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace kiosk {

class SystemdNotify {
public:
    SystemdNotify();

    void ready(const std::string& status);
    void status(const std::string& status);
    // Pings the watchdog when half its interval has passed since the last ping.
    void watchdog();
    // Asks systemd to wait this much longer for READY (no display yet).
    void extendStart(std::chrono::seconds more);
    // How long the frame loop may sleep between pings; nullopt without a watchdog.
    std::optional<std::chrono::milliseconds> pingEvery() const { return pingEvery_; }

private:
    std::optional<std::chrono::milliseconds> pingEvery_;
    std::chrono::steady_clock::time_point lastPing_{};
};

} // namespace kiosk
