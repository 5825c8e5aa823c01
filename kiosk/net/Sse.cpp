// See Sse.h.
#include "kiosk/net/Sse.h"

namespace kiosk {

void SseParser::feed(std::string_view chunk) {
    partial_.append(chunk);
    std::size_t start = 0;
    for (std::size_t i = 0; i < partial_.size(); ++i) {
        if (partial_[i] != '\n') {
            continue;
        }
        std::string_view text(partial_.data() + start, i - start);
        if (!text.empty() && text.back() == '\r') {
            text.remove_suffix(1);
        }
        line(text);
        start = i + 1;
    }
    partial_.erase(0, start);
    if (partial_.size() > 4 * 1024 * 1024) {
        partial_.clear(); // a line this long is not an event stream; do not grow forever
    }
}

void SseParser::line(std::string_view text) {
    if (text.empty()) {
        if (hasData_) {
            if (current_.event.empty()) {
                current_.event = "message";
            }
            handler_(current_);
        }
        current_ = {};
        hasData_ = false;
        return;
    }
    if (text.front() == ':') {
        ++heartbeats_;
        return;
    }
    const auto colon = text.find(':');
    std::string_view field = text.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? "" : text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
    }
    if (field == "event") {
        current_.event = value;
    } else if (field == "data") {
        if (hasData_) {
            current_.data += '\n';
        }
        current_.data += value;
        hasData_ = true;
    }
}

} // namespace kiosk
