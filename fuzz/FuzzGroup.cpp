// libFuzzer target for what a wall group's broker delivers: messages on the group's topics from
// other screens (of any version) or from anyone else who can publish there. The input is
// NUL-separated messages, each a topic under kiosk/camp/ ("decisions/ab12"), a newline and the
// payload. The decisions that win go through the organiser's controls as on a real screen
// (WallControl::applyShared: moderation, pins, blocks, announcements, hashtags, sources and the
// attendee page), which rewrite a config file in a temporary folder.
#include "kiosk/group/Group.h"

#include "FuzzSupport.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

// Hands the group's handlers to the input and drops what the group publishes.
class InputLink final : public kiosk::GroupLink {
public:
    void start(Handlers handlers, const std::string&, const std::string&,
               const std::string&) override {
        handlers_ = std::move(handlers);
    }
    void stop(const std::string&, const std::string&) override { handlers_ = {}; }
    bool publish(const std::string&, const std::string&, bool) override { return true; }
    void deliver(const kiosk::GroupMessage& m) {
        if (handlers_.message) {
            handlers_.message(m);
        }
    }
    void connect() {
        if (handlers_.connected) {
            handlers_.connected();
        }
    }

private:
    Handlers handlers_;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kiosk::fuzz::Screen screen;
    kiosk::Group::Hooks hooks;
    hooks.apply = [&screen](const kiosk::SharedChange& c) { (void)screen.control.applyShared(c); };
    InputLink link;
    std::int64_t nowMs = std::int64_t(kiosk::fuzz::kNow) * 1000;
    kiosk::Group group(
        screen.config.group, link, nullptr, [&nowMs] { return nowMs; }, hooks);
    group.start({"mastodon #HarbourCamp @ social.harbour.example"},
                kiosk::Group::Ticking::ByCaller);
    link.connect();
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    while (!rest.empty()) {
        const std::size_t end = rest.find('\0');
        const std::string_view part = rest.substr(0, end);
        const std::size_t nl = part.find('\n');
        kiosk::GroupMessage m;
        m.topic = "kiosk/camp/" + std::string(part.substr(0, nl));
        m.payload = nl == std::string_view::npos ? "" : std::string(part.substr(nl + 1));
        m.retained = true;
        link.deliver(m);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    // The ticker's next round after the others' presence has settled: who fetches what.
    nowMs += kiosk::Group::kSettleMs;
    group.tick();
    group.stop();
    return 0;
}
