// libFuzzer target for what a wall group's broker delivers: messages on the group's topics from
// other screens (of any version) or from anyone else who can publish there. The input is
// NUL-separated messages, each a topic under kiosk/camp/ ("decisions/ab12"), a newline and the
// payload. The decisions that win go through the organiser's controls as on a real screen
// (WallControl::applyShared: moderation, pins, blocks, announcements, hashtags, sources and the
// attendee page), which rewrite a config file in a temporary folder.
#include "kiosk/admin/WallControl.h"
#include "kiosk/config/ConfigFile.h"
#include "kiosk/core/FileText.h"
#include "kiosk/core/Log.h"
#include "kiosk/group/Group.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unistd.h>

namespace {

constexpr const char* kConfig = R"({
  "event": { "name": "Harbour Camp", "hashtags": ["HarbourCamp"] },
  "admin": { "listen": "127.0.0.1", "port": 0, "token": "fuzz-admin-token-2026" },
  "venue": { "enabled": true },
  "group": { "broker": "mqtt://127.0.0.1", "name": "camp", "screen": "hall" },
  "moderation": { "mode": "post", "blocked_words": ["spoiler"] },
  "sources": [
    { "type": "mastodon", "server": "https://social.harbour.example", "hashtags": ["HarbourCamp"] }
  ]
})";

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

struct Screen {
    std::string dir;
    std::string configPath;
    std::unique_ptr<kiosk::Database> db;
};

Screen& screen() {
    static Screen s = [] {
        Screen made;
        // Memory-backed when the machine has it: every decision rewrites the config file durably.
        const char* base = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        std::string pattern = std::string(base) + "/kiosk-fuzz-group-XXXXXX";
        made.dir = ::mkdtemp(pattern.data()) ? pattern : base;
        // A line per applied decision would cost more than applying it; errors still show.
        kiosk::setLogLevel(kiosk::LogLevel::Error);
        made.configPath = made.dir + "/kiosk.json";
        made.db = std::move(*kiosk::Database::open(made.dir + "/wall.db"));
        return made;
    }();
    return s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Screen& s = screen();
    // Each input starts from the same config, so a finding replays on its own.
    (void)kiosk::replaceFileAtomically(s.configPath, kConfig);
    auto config = kiosk::loadConfigFile(s.configPath);
    if (!config.ok()) {
        std::abort(); // the base config above must stay valid
    }
    kiosk::PostStore store;
    kiosk::Moderator moderator(config.value().moderation);
    kiosk::LiveWall live(std::make_shared<const kiosk::Config>(config.value()));
    kiosk::ControlDeps deps{store,
                            moderator,
                            *s.db,
                            live,
                            nullptr,
                            nullptr,
                            [] { return kiosk::UnixTime(1784000000); },
                            nullptr,
                            nullptr,
                            nullptr,
                            nullptr,
                            nullptr};
    kiosk::WallControl control(config.value(), deps);
    kiosk::Group::Hooks hooks;
    hooks.apply = [&control](const kiosk::SharedChange& c) { (void)control.applyShared(c); };
    InputLink link;
    kiosk::Group group(
        config.value().group, link, nullptr, [] { return std::int64_t(1784000000000); }, hooks);
    group.start({"mastodon #HarbourCamp @ social.harbour.example"});
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
    group.stop();
    return 0;
}
