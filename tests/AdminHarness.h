// A control page served for real on 127.0.0.1 (any free port) over a wall made of the plain
// parts: a config file in a temp folder, an in-memory database, a store, a moderator and a
// LiveWall. Posts are seeded as the fetch path would leave them. The clock is the test's.
#pragma once

#include "TestSupport.h"

#include "kiosk/admin/AdminApi.h"
#include "kiosk/admin/AdminServer.h"
#include "kiosk/core/CommandQueue.h"

#include <httplib.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

namespace kiosk::test {

inline const char* kAdminToken = "camp-wall-token-2026";

inline const char* kAdminConfig = R"({
  "event": {"name": "Harbour Camp", "hashtags": ["HarbourCamp"]},
  "announcements": [{"id": "welcome", "text": "Welcome to Harbour Camp"}],
  "moderation": {"mode": "pre", "blocked_authors": ["@spam@junk.example"]},
  "sources": [
    {"type": "mastodon", "server": "https://social.harbour.example",
     "hashtags": ["HarbourCamp"], "token": "mastodon-secret-token"},
    {"type": "wordpress", "site": "https://blog.harbour.example", "posts": [7]}
  ]
})";

inline Post adminPost(const std::string& id, const std::string& name, const std::string& handle,
                      const std::string& text, UnixTime at) {
    Post p;
    p.id = "mastodon:social.harbour.example:" + id;
    p.source = "mastodon";
    p.url = "https://social.harbour.example/@x/" + id;
    p.createdAt = at;
    p.author.name = name;
    p.author.handle = handle;
    p.text = text;
    return p;
}

class AdminHarness : public ::testing::Test {
protected:
    void SetUp() override {
        configPath = writeTempFile("admin-kiosk.json", kAdminConfig);
        auto loaded = loadConfigFile(configPath);
        ASSERT_TRUE(loaded) << loaded.error();
        config = std::move(loaded.value());
        db = std::move(Database::open(":memory:").value());
        moderator = std::make_unique<Moderator>(config.moderation);
        live = std::make_unique<LiveWall>(std::make_shared<const Config>(config),
                                          [this] { ++wakes; });
        control = std::make_unique<WallControl>(
            config, ControlDeps{store, *moderator, *db, *live,
                                [] {
                                    SourceHealth h;
                                    h.label = "mastodon #HarbourCamp @ social.harbour.example";
                                    h.ok = true;
                                    return std::vector<SourceHealth>{h};
                                },
                                [this](const Config& c) { restartedWith = c.sources.size(); },
                                [this] { return now.load(); }});
        queue = std::make_unique<CommandQueue>();
        auth = std::make_unique<AdminAuth>(kAdminToken, 3600);
        api = std::make_unique<AdminApi>(
            *auth,
            [this](std::function<Reply(WallControl&)> command) {
                return *queue->call<Reply>([this, command] { return command(*control); },
                                           std::chrono::seconds(10));
            },
            KIOSK_SOURCE_DIR "/assets/admin", [this] { return now.load(); });
        server = std::make_unique<AdminServer>(*api);
        auto bound = server->start("127.0.0.1", 0, true);
        ASSERT_TRUE(bound) << bound.error();
        port = *bound;
        seed();
    }

    void TearDown() override {
        server->stop();
        queue.reset();
    }

    // One queued post carrying markup and script, one shown, one hidden by a filter.
    void seed() {
        queued = adminPost("101", "<img src=x onerror=\"window.pwned=1\">Mallory",
                           "@mallory@social.harbour.example",
                           "<script>window.pwned=1</script><b>bold</b> & friends #HarbourCamp",
                           now - 60);
        shown = adminPost("102", "Ana Lima", "@ana@social.harbour.example",
                          "Sunrise swim at the harbour was freezing and perfect", now - 120);
        hidden = adminPost("103", "Spammer", "@spam@junk.example", "Buy followers now", now - 30);
        db->savePosts({{queued, Verdict::Queue, "waiting for approval"},
                       {shown, Verdict::Show, ""},
                       {hidden, Verdict::Hide, "author blocked by organiser: @spam@junk.example"}},
                      now);
        store.add({shown});
        store.add(announcementPosts(config)); // as the wall does at start
    }

    httplib::Client client() {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(20, 0);
        return c;
    }
    httplib::Headers bearer() const { return {{"Authorization", std::string("Bearer ") + kAdminToken}}; }

    httplib::Result postLogin(const std::string& token) {
        auto c = client();
        return c.Post("/api/login", R"({"token":")" + token + "\"}", "application/json");
    }

    // Logs in through the form's endpoint; returns the cookie header and the CSRF token.
    std::pair<std::string, std::string> login() {
        auto res = postLogin(kAdminToken);
        EXPECT_TRUE(res);
        EXPECT_EQ(res->status, 200);
        const std::string cookie = res->get_header_value("Set-Cookie");
        const auto body = nlohmann::json::parse(res->body);
        return {cookie.substr(0, cookie.find(';')), body.at("csrf").get<std::string>()};
    }

    nlohmann::json send(const std::string& method, const std::string& path,
                        const std::string& body, int expectStatus) {
        auto c = client();
        httplib::Result res = method == "POST"  ? c.Post(path.c_str(), bearer(), body, "application/json")
                              : method == "PUT" ? c.Put(path.c_str(), bearer(), body, "application/json")
                                                : c.Get(path.c_str(), bearer());
        EXPECT_TRUE(res) << method << " " << path;
        if (!res) {
            return {};
        }
        EXPECT_EQ(res->status, expectStatus) << method << " " << path << ": " << res->body;
        return nlohmann::json::parse(res->body, nullptr, false);
    }

    std::atomic<UnixTime> now{1784000000}; // 2026-07-14
    std::string configPath;
    Config config;
    PostStore store{500};
    std::unique_ptr<Database> db;
    std::unique_ptr<Moderator> moderator;
    std::unique_ptr<LiveWall> live;
    std::atomic<int> wakes{0};
    std::atomic<std::size_t> restartedWith{0};
    std::unique_ptr<WallControl> control;
    std::unique_ptr<CommandQueue> queue;
    std::unique_ptr<AdminAuth> auth;
    std::unique_ptr<AdminApi> api;
    std::unique_ptr<AdminServer> server;
    int port = 0;
    Post queued, shown, hidden;
};

} // namespace kiosk::test
