// Server-sent events (text/event-stream) framing: "event:" and "data:" lines, a blank line ends
// an event, lines starting with ":" are heartbeats. Chunks may split lines anywhere.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace kiosk {

struct SseEvent {
    std::string event; // "message" when the server names none
    std::string data;  // data lines joined by "\n"
};

class SseParser {
public:
    using Handler = std::function<void(const SseEvent&)>;
    explicit SseParser(Handler handler) : handler_(std::move(handler)) {}
    void feed(std::string_view chunk);
    std::size_t heartbeats() const { return heartbeats_; }

private:
    void line(std::string_view text);

    Handler handler_;
    std::string partial_;
    SseEvent current_;
    bool hasData_ = false;
    std::size_t heartbeats_ = 0;
};

} // namespace kiosk
