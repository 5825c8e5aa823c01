// `kiosk fetch --once` against mock API servers on 127.0.0.1 started by the test: the posts of
// a hashtag timeline come out; a source answering 500, garbage or nothing in time gets a clear
// health line while the others still load.
#include "kiosk/store/Database.h"

#include "TestSupport.h"

#include <httplib.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <mutex>
#include <thread>

namespace kiosk {
namespace {

class MockServers : public ::testing::Test {
protected:
    void SetUp() override {
        timeline_ = test::readFile(test::fixture("mastodon/tag_timeline_mixed.json"));
        comments_ = test::readFile(test::fixture("wordpress/comments_post17.json"));
        server_.Get(R"(/good/api/v1/timelines/tag/(\w+))", [this](const auto& req, auto& res) {
            record(req);
            res.set_header("Link", "<http://127.0.0.1/good/api/v1/timelines/tag/VCSSCamp?max_id="
                                   "4711>; rel=\"next\"");
            res.set_header("X-RateLimit-Limit", "300");
            res.set_header("X-RateLimit-Remaining", "299");
            res.set_header("X-RateLimit-Reset", "2026-06-13T10:05:00.000Z");
            res.set_content(timeline_, "application/json; charset=utf-8");
        });
        server_.Get("/blog/wp-json/wp/v2/comments", [this](const auto& req, auto& res) {
            record(req);
            res.set_header("X-WP-Total", "4");
            res.set_header("X-WP-TotalPages", "1");
            res.set_content(comments_, "application/json; charset=UTF-8");
        });
        server_.Get(R"(/broken/.*)", [this](const auto& req, auto& res) {
            record(req);
            res.status = 500;
            res.set_content("<html><h1>Internal Server Error</h1></html>", "text/html");
        });
        server_.Get(R"(/garbage/.*)", [this](const auto& req, auto& res) {
            record(req);
            res.set_content("{\"statuses\": [1, 2,", "application/json");
        });
        server_.Get(R"(/slow/.*)", [this](const auto& req, auto& res) {
            record(req);
            std::this_thread::sleep_for(std::chrono::milliseconds(2500));
            res.set_content("[]", "application/json");
        });
        server_.set_keep_alive_timeout(1);
        port_ = server_.bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        for (int i = 0; i < 200 && !server_.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    void TearDown() override {
        server_.stop();
        thread_.join();
    }
    void record(const httplib::Request& req) {
        std::lock_guard lock(mutex_);
        std::string target = req.path;
        std::string query;
        for (const auto& [k, v] : req.params) {
            query += (query.empty() ? "?" : "&") + k + "=" + v;
        }
        requests_.push_back(target + query);
        userAgents_.push_back(req.get_header_value("User-Agent"));
    }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
    std::string config(const std::string& sources) {
        return test::writeTempFile("loopback-" + std::to_string(port_) + ".json",
                                   R"({"network": {"contact": "https://camp.example/wall",
                                   "timeout_seconds": 1}, "sources": [)" +
                                       sources + "]}");
    }
    std::string mastodon(const std::string& prefix) {
        return R"({"type": "mastodon", "server": ")" + base() + prefix +
               R"(", "hashtags": ["VCSSCamp"]})";
    }

    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    std::string timeline_, comments_;
    std::mutex mutex_;
    std::vector<std::string> requests_;   // guarded by mutex_
    std::vector<std::string> userAgents_; // guarded by mutex_
};

TEST_F(MockServers, FetchOncePrintsTheTimelinePosts) {
    const auto r = test::runKiosk({"fetch", "--once", "--config", config(mastodon("/good"))});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const auto lines = test::splitLines(r.out);
    ASSERT_EQ(lines.size(), 4u) << r.out;
    const auto first = nlohmann::json::parse(lines[0]);
    EXPECT_EQ(first["id"], "mastodon:127.0.0.1:4711"); // newest first
    EXPECT_EQ(first["text"], "古いサーバーからの投稿です\n二行目");
    std::lock_guard lock(mutex_);
    ASSERT_EQ(requests_.size(), 1u);
    EXPECT_EQ(requests_[0], "/good/api/v1/timelines/tag/VCSSCamp?limit=40");
    EXPECT_EQ(userAgents_[0], "kiosk-social-wall/" KIOSK_VERSION " (+https://camp.example/wall)");
    EXPECT_NE(r.err.find("health: mastodon #VCSSCamp @ 127.0.0.1: ok, 4 posts"), std::string::npos)
        << r.err;
}

TEST_F(MockServers, BrokenSourcesAreReportedAndTheOthersStillLoad) {
    const std::string sources = mastodon("/broken") + "," + mastodon("/garbage") + "," +
                                mastodon("/slow") + R"(, {"type": "wordpress", "site": ")" +
                                base() + R"(/blog", "posts": [17]})";
    const auto r = test::runKiosk({"fetch", "--once", "--config", config(sources)});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const auto lines = test::splitLines(r.out);
    EXPECT_EQ(lines.size(), 3u); // the blog comments
    for (const auto& line : lines) {
        EXPECT_EQ(nlohmann::json::parse(line)["source"], "wordpress");
    }
    const std::string broken = "health: mastodon #VCSSCamp @ 127.0.0.1: error: " + base() +
                               "/broken/api/v1/timelines/tag/VCSSCamp?limit=40: HTTP 500 "
                               "(server error)";
    EXPECT_NE(r.err.find(broken), std::string::npos) << r.err;
    const std::string garbage = base() + "/garbage/api/v1/timelines/tag/VCSSCamp?limit=40: not "
                                         "valid JSON";
    EXPECT_NE(r.err.find(garbage), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(base() + "/slow/api/v1/timelines/tag/VCSSCamp?limit=40: Operation timed "
                                  "out"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("health: wordpress 127.0.0.1 post 17: ok, 3 posts"), std::string::npos)
        << r.err;
}

TEST_F(MockServers, ARestartResumesFromTheStoredCursorAndShowsStoredPostsAtOnce) {
    const std::string db = test::writeTempFile("restart-" + std::to_string(port_) + ".db", "");
    std::filesystem::remove(db);
    // The fixture posts are months old: keep them (the default keeps 48 hours).
    const std::string storage = R"(, "storage": {"max_age_hours": 8760, "path": ")" + db + R"("}})";
    auto withStorage = [&](const std::string& sources) {
        return test::writeTempFile("restart-" + std::to_string(port_) + ".json",
                                   R"({"sources": [)" + sources + "]" + storage);
    };
    const auto first =
        test::runKiosk({"fetch", "--once", "--config", withStorage(mastodon("/good"))});
    ASSERT_EQ(first.exitCode, 0) << first.err;
    const auto second =
        test::runKiosk({"fetch", "--once", "--config", withStorage(mastodon("/good"))});
    ASSERT_EQ(second.exitCode, 0) << second.err;
    {
        std::lock_guard lock(mutex_);
        ASSERT_EQ(requests_.size(), 2u);
        EXPECT_EQ(requests_[0], "/good/api/v1/timelines/tag/VCSSCamp?limit=40");
        // The second process starts where the first stopped, not from scratch.
        EXPECT_EQ(requests_[1],
                  "/good/api/v1/timelines/tag/VCSSCamp?limit=40&min_id=113900000000000105");
    }
    // The organiser hides the newest post; then the network goes away entirely.
    {
        auto open = Database::open(db);
        ASSERT_TRUE(open.ok()) << open.error();
        (*open)->saveDecision("mastodon:127.0.0.1:4711", Verdict::Hide, 1781343000);
    }
    const std::string offline = withStorage(
        R"({"type": "mastodon", "server": "https://m.example", "hashtags": ["x"],
            "url": "file:/nonexistent/timeline.json"})");
    const std::string png = test::writeTempFile("restart.png", "");
    const auto shot = test::runKiosk(
        {"shot", "--config", offline, "--out", png, "--size", "1280x800", "--log-level", "debug"});
    ASSERT_EQ(shot.exitCode, 0) << shot.err;
    EXPECT_NE(shot.err.find("restored 3 posts from the last run"), std::string::npos) << shot.err;
    // On screen: a stored post, but never the one hidden before the restart.
    EXPECT_NE(shot.err.find("on screen at 0.000000 s: mastodon:127.0.0.1:1139"), std::string::npos)
        << shot.err;
    EXPECT_EQ(shot.err.find("4711"), std::string::npos) << shot.err;
}

TEST_F(MockServers, EverySourceFailingExitsOne) {
    const auto r = test::runKiosk({"fetch", "--once", "--config", config(mastodon("/broken"))});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("HTTP 500"), std::string::npos);
}

} // namespace
} // namespace kiosk
