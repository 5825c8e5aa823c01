// Log sink and level filter; one mutex so lines from worker and render threads never interleave.
#include "kiosk/core/Log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace kiosk {
namespace {

std::atomic<LogLevel> gLevel{LogLevel::Info};
std::mutex gMutex;
LogSink gSink; // guarded by gMutex

char levelLetter(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return 'D';
    case LogLevel::Info:
        return 'I';
    case LogLevel::Warn:
        return 'W';
    case LogLevel::Error:
        return 'E';
    case LogLevel::Off:
        break;
    }
    return '?';
}

// Under systemd, stderr goes to the journal ($JOURNAL_STREAM is set): a "<N>" prefix gives each
// line its syslog priority, so `journalctl -u kiosk -p warning` shows warnings and errors only.
const char* journalPrefix(LogLevel level) {
    static const bool journal = std::getenv("JOURNAL_STREAM") != nullptr;
    if (!journal) {
        return "";
    }
    switch (level) {
    case LogLevel::Debug:
        return "<7>";
    case LogLevel::Info:
        return "<6>";
    case LogLevel::Warn:
        return "<4>";
    default:
        return "<3>";
    }
}

} // namespace

void setLogLevel(LogLevel level) {
    gLevel = level;
}
LogLevel logLevel() {
    return gLevel;
}

bool parseLogLevel(std::string_view text, LogLevel& out) {
    static const std::pair<std::string_view, LogLevel> kNames[] = {{"debug", LogLevel::Debug},
                                                                   {"info", LogLevel::Info},
                                                                   {"warn", LogLevel::Warn},
                                                                   {"error", LogLevel::Error},
                                                                   {"off", LogLevel::Off}};
    for (const auto& [name, level] : kNames) {
        if (name == text) {
            out = level;
            return true;
        }
    }
    return false;
}

void setLogSink(LogSink sink) {
    std::lock_guard lock(gMutex);
    gSink = std::move(sink);
}

void logLine(LogLevel level, std::string_view module, std::string_view message) {
    if (level < gLevel.load() || level == LogLevel::Off) {
        return;
    }
    std::lock_guard lock(gMutex);
    if (gSink) {
        gSink(level, module, message);
        return;
    }
    std::fprintf(stderr, "%s%c %.*s: %.*s\n", journalPrefix(level), levelLetter(level),
                 int(module.size()), module.data(), int(message.size()), message.data());
}

} // namespace kiosk
