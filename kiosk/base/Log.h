// Leveled, module-tagged logging for every part of the kiosk. Lines look like
// "W mastodon: ..." so the journal and a terminal read the same. Thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace kiosk {

enum class LogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3, Off = 4 };

void setLogLevel(LogLevel level);
LogLevel logLevel();
// Parses "debug", "info", "warn", "error", "off"; false when unknown.
bool parseLogLevel(std::string_view text, LogLevel& out);

// Tests capture lines through a sink; nullptr restores stderr.
using LogSink = std::function<void(LogLevel, std::string_view module, std::string_view message)>;
void setLogSink(LogSink sink);

void logLine(LogLevel level, std::string_view module, std::string_view message);

// What logLine writes for a message: control characters (C0, DEL, C1) as \xNN, so every message
// stays one line, and at most kMaxLogBytes of it, cut on a character boundary.
inline constexpr std::size_t kMaxLogBytes = 4096;
std::string printableLogText(std::string_view message);

inline void logDebug(std::string_view m, std::string_view s) {
    logLine(LogLevel::Debug, m, s);
}
inline void logInfo(std::string_view m, std::string_view s) {
    logLine(LogLevel::Info, m, s);
}
inline void logWarn(std::string_view m, std::string_view s) {
    logLine(LogLevel::Warn, m, s);
}
inline void logError(std::string_view m, std::string_view s) {
    logLine(LogLevel::Error, m, s);
}

} // namespace kiosk
