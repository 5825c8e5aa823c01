// What the fuzz targets of the control page and the wall group share: a request read from the
// input's bytes, and a screen's controls (WallControl) over a config file, a database and a
// store of their own in a temporary folder, rebuilt for every input so that a finding replays
// on its own.
#pragma once

#include "kiosk/admin/AdminHttp.h"
#include "kiosk/admin/WallControl.h"
#include "kiosk/base/Log.h"
#include "kiosk/config/ConfigFile.h"
#include "kiosk/config/LiveWall.h"
#include "kiosk/store/Database.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unistd.h>

namespace kiosk::fuzz {

// A request line ("POST /api/posts/approve?x=1"), header lines, a blank line, the body. For the
// attendee upload the body's NUL-separated "key=value" parts stand in for the form fields
// libmicrohttpd would split.
inline kiosk::AdminRequest requestFrom(std::string_view bytes) {
    kiosk::AdminRequest r;
    r.client = "10.0.0.9";
    const auto take = [&bytes]() {
        const auto end = bytes.find('\n');
        std::string line(bytes.substr(0, end));
        bytes = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 1);
        return line;
    };
    const std::string first = take();
    const auto space = first.find(' ');
    r.method = first.substr(0, space);
    std::string target = space == std::string::npos ? "/" : first.substr(space + 1);
    if (const auto q = target.find('?'); q != std::string::npos) {
        std::string query = target.substr(q + 1);
        target.resize(q);
        const auto eq = query.find('=');
        r.query[query.substr(0, eq)] = eq == std::string::npos ? "" : query.substr(eq + 1);
    }
    r.path = target;
    for (std::string line = take(); !line.empty() && r.headers.size() < 32; line = take()) {
        const auto colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (auto& c : name) {
            c = char(std::tolower(static_cast<unsigned char>(c)));
        }
        // As libmicrohttpd hands them over: without the blanks after the colon.
        std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(" \t"));
        r.headers[name] = value;
    }
    r.body = std::string(bytes);
    if (r.path == "/api/venue/posts") {
        std::string_view rest = r.body;
        while (!rest.empty()) {
            const auto end = rest.find('\0');
            const std::string_view part = rest.substr(0, end);
            const auto eq = part.find('=');
            r.form[std::string(part.substr(0, eq))] =
                eq == std::string_view::npos ? "" : std::string(part.substr(eq + 1));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
        r.body.clear();
    }
    return r;
}

constexpr const char* kToken = "fuzz-admin-token-2026";
constexpr UnixTime kNow = 1784000000;

constexpr const char* kConfig = R"({
  "event": { "name": "Harbour Camp", "hashtags": ["HarbourCamp"] },
  "admin": { "listen": "127.0.0.1", "port": 0, "token": "fuzz-admin-token-2026" },
  "venue": { "enabled": true, "posts_per_device": 100, "posts_per_address": 1000 },
  "group": { "broker": "mqtt://127.0.0.1", "name": "camp", "screen": "hall" },
  "moderation": { "mode": "post", "blocked_words": ["spoiler"] },
  "sources": [
    { "type": "mastodon", "server": "https://social.harbour.example", "hashtags": ["HarbourCamp"] }
  ]
})";

// The folder and the database (in memory) outlive the inputs: opening a database is slow. The
// config file is written again and the database emptied before each.
struct Folder {
    Folder() {
        // Memory-backed when the machine has it: every change rewrites the config durably.
        const char* base = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        std::string pattern = std::string(base) + "/kiosk-fuzz-XXXXXX";
        dir = ::mkdtemp(pattern.data()) ? pattern : "";
        if (dir.empty()) {
            std::fprintf(stderr, "cannot make a folder under %s\n", base);
            std::abort();
        }
        db = std::move(*Database::open(":memory:"));
        // A line per change would cost more than making it; errors still show.
        setLogLevel(LogLevel::Error);
    }
    ~Folder() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }
    Folder(const Folder&) = delete;
    Folder& operator=(const Folder&) = delete;

    std::string dir;
    std::unique_ptr<Database> db;
};

inline Folder& folder() {
    static Folder f;
    return f;
}

// One screen's controls, from kConfig.
struct Screen {
    Screen()
        : config(load()), moderator(config.moderation),
          live(std::make_shared<const Config>(config)),
          control(config, ControlDeps{.store = store,
                                      .moderator = moderator,
                                      .db = *folder().db,
                                      .live = live,
                                      .clock = [] { return kNow; }}) {}

    // The file is written again for every input (the last one may have changed it); it is
    // read and checked once, which is most of the cost of a screen. The database loses what the
    // inputs before decided, so that a finding replays on its own; kept, a long run piled up
    // their announcements, pins and decisions, which every later change read back.
    static Config load() {
        folder().db->wipeEvent();
        const std::string path = folder().dir + "/kiosk.json";
        (void)replaceFileAtomically(path, kConfig);
        static const Config base = [&path] {
            auto loaded = loadConfigFile(path);
            if (!loaded.ok()) {
                std::fprintf(stderr, "kConfig must stay valid: %s\n", loaded.error().c_str());
                std::abort();
            }
            return std::move(loaded.value());
        }();
        return base;
    }

    Config config;
    PostStore store;
    Moderator moderator;
    LiveWall live;
    WallControl control;
};

} // namespace kiosk::fuzz
