// Log sink and level filter; one mutex so lines from worker and render threads never interleave.
#include "kiosk/base/Log.h"

#include "kiosk/base/Utf8.h"

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

bool isControl(std::string_view text, std::size_t i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F) {
        return true;
    }
    // U+0080 to U+009F in UTF-8: C1 controls, which some terminals obey as escapes (0x9B is CSI).
    return c == 0xC2 && i + 1 < text.size() &&
           (static_cast<unsigned char>(text[i + 1]) & 0xE0) == 0x80;
}

} // namespace

std::string printableLogText(std::string_view message) {
    const std::size_t kept = utf8Boundary(message, kMaxLogBytes);
    std::string out;
    out.reserve(kept + 32);
    static const char kHex[] = "0123456789abcdef";
    for (std::size_t i = 0; i < kept; ++i) {
        if (!isControl(message, i)) {
            out += message[i];
            continue;
        }
        const std::size_t width = static_cast<unsigned char>(message[i]) == 0xC2 ? 2 : 1;
        for (std::size_t k = 0; k < width; ++k) {
            const auto c = static_cast<unsigned char>(message[i + k]);
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
        i += width - 1;
    }
    if (kept < message.size()) {
        out += "... (" + std::to_string(message.size() - kept) + " bytes more)";
    }
    return out;
}

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
    // Messages carry what others sent (a Host header, a broker topic, a post's id): written raw,
    // a newline would forge a journal entry of any priority and an escape would drive the
    // organiser's terminal.
    const std::string text = printableLogText(message);
    std::lock_guard lock(gMutex);
    if (gSink) {
        gSink(level, module, text);
        return;
    }
    std::fprintf(stderr, "%s%c %.*s: %s\n", journalPrefix(level), levelLetter(level),
                 int(module.size()), module.data(), text.c_str());
}

} // namespace kiosk
