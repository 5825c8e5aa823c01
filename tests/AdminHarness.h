// A control page served for real on 127.0.0.1 (any free port) by the wall's own wiring (the
// `Wall` the running wall builds) from a config file in a temp folder, with an in-memory
// database. Its fetch threads get HTTP clients that refuse every request, so nothing leaves
// the machine. Posts are seeded as the fetch path would leave them. The clock is the test's.
#pragma once

#include "TestSupport.h"

#include "kiosk/admin/AdminApi.h"
#include "kiosk/admin/AdminServer.h"
#include "kiosk/app/Wall.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <filesystem>
#include <memory>

namespace kiosk::test {

inline const char* kAdminToken = "camp-wall-token-2026";

inline const char* kAdminConfig = R"({
  "event": {"name": "Harbour Camp", "hashtags": ["HarbourCamp"]},
  "announcements": [{"id": "welcome", "text": "Welcome to Harbour Camp"}],
  "moderation": {"mode": "pre", "blocked_authors": ["@spam@junk.example"]},
  "storage": {"path": ":memory:"},
  "network": {"download_media": false, "media_cache_dir": "admin-media"},
  "admin": {"listen": "127.0.0.1", "port": 0, "token": "camp-wall-token-2026",
            "session_hours": 1},
  "sources": [
    {"type": "mastodon", "server": "https://social.harbour.example",
     "hashtags": ["HarbourCamp"], "token": "mastodon-secret-token"},
    {"type": "wordpress", "site": "https://blog.harbour.example", "posts": [7]}
  ]
})";

inline const char* kQueuedAvatar = "https://social.harbour.example/avatars/mallory.png";

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

// Every request fails at once, as with the network unplugged.
class UnpluggedClient : public HttpClient {
public:
    HttpResponse send(const HttpRequest& request) override {
        HttpResponse r;
        (void)request;
        r.error = "no network in this test";
        return r;
    }
};

class AdminHarness : public ::testing::Test {
protected:
    void SetUp() override {
        configPath = writeTempFile("admin-kiosk.json", configText());
        // The queued post's avatar is in the media cache, as the media worker leaves it.
        const auto media = std::filesystem::path(configPath).parent_path() / "admin-media";
        std::filesystem::remove_all(media);
        std::filesystem::create_directories(media);
        std::filesystem::copy_file(fixture("golden/media/a072ba7095ad836b.png"),
                                   media / (contentId(kQueuedAvatar) + ".png"));
        auto loaded = loadConfigFile(configPath);
        ASSERT_TRUE(loaded) << loaded.error();
        config = loaded.value();
        WallOptions options;
        options.purpose = WallPurpose::Display;
        options.clock = [this] { return now.load(); };
        options.clients = clientMaker();
        options.onChange = [this] { ++wakes; };
        wall = std::make_unique<Wall>(std::move(loaded.value()), std::move(options));
        ASSERT_NE(wall->page(), nullptr);
        ASSERT_TRUE(wall->page()->start());
        port = *wall->page()->port();
        db = wall->database();
        moderator = &wall->moderator();
        live = &wall->live();
        api = &wall->page()->api();
        wall->fetch().pollOnce(); // fails: the sources' health says why
        seed();
    }

    void TearDown() override { wall.reset(); }

    // How the wall reaches the network: by default it cannot.
    virtual ClientMaker clientMaker() const {
        return [](const std::atomic<bool>*) { return std::make_unique<UnpluggedClient>(); };
    }
    // The wall's config file; a test may add to it.
    virtual std::string configText() const { return kAdminConfig; }

    PostStore& store() { return wall->store(); }
    // The sources the fetch threads poll now (the organiser's changes restart them).
    std::size_t sourcesPolled() { return wall->fetch().health().size(); }

    // One queued post carrying markup and script, one shown, one hidden by a filter.
    void seed() {
        queued = adminPost("101", "<img src=x onerror=\"window.pwned=1\">Mallory",
                           "@mallory@social.harbour.example",
                           "<script>window.pwned=1</script><b>bold</b> & friends #HarbourCamp",
                           now - 60);
        queued.author.avatar = kQueuedAvatar;
        shown = adminPost("102", "Ana Lima", "@ana@social.harbour.example",
                          "Sunrise swim at the harbour was freezing and perfect", now - 120);
        hidden = adminPost("103", "Spammer", "@spam@junk.example", "Buy followers now", now - 30);
        db->savePosts({{queued, Verdict::Queue, {ReasonKind::Waiting, ""}},
                       {shown, Verdict::Show, {}},
                       {hidden, Verdict::Hide, {ReasonKind::BlockedAuthor, "spam@junk.example"}}},
                      now);
        store().add({shown}); // the announcements are there already, as on the wall
    }

    httplib::Client client() {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(20, 0);
        return c;
    }
    httplib::Headers bearer() const {
        return {{"Authorization", std::string("Bearer ") + kAdminToken}};
    }

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

    nlohmann::json send(const std::string& method, const std::string& path, const std::string& body,
                        int expectStatus) {
        auto c = client();
        httplib::Result res =
            method == "POST"  ? c.Post(path.c_str(), bearer(), body, "application/json")
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
    Config config; // as loaded, before the wall added what its database remembers
    std::unique_ptr<Wall> wall;
    Database* db = nullptr;
    Moderator* moderator = nullptr;
    LiveWall* live = nullptr;
    AdminApi* api = nullptr;
    std::atomic<int> wakes{0};
    int port = 0;
    Post queued, shown, hidden;
};

} // namespace kiosk::test
