// Mock API servers on 127.0.0.1 that answer like the real ones (pagination, rate-limit headers,
// 429, 401/403, slow drips, oversize bodies, invalid JSON, silence), polled over real HTTP
// through curl, on a controllable clock: which requests went out and when, what was stored,
// what health said.
#include "kiosk/config/Config.h"
#include "kiosk/fetch/FetchWorker.h"
#include "kiosk/fetch/SourceSet.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/net/CurlHttpClient.h"
#include "kiosk/net/HostPolicy.h"

#include "TestSupport.h"

#include <httplib.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <mutex>
#include <thread>

namespace kiosk {
namespace {

constexpr UnixTime kStart = 1781346600; // 2026-06-13T10:30:00Z, after every fixture post

struct Seen {
    std::string target; // path?query
    std::string auth;
    UnixTime at;
};

class ApiServers : public ::testing::Test {
protected:
    void SetUp() override {
        // curl keeps connections open; a short keep-alive lets the server stop promptly.
        server_.set_keep_alive_timeout(1);
        port_ = server_.bind_to_any_port("127.0.0.1");
        ASSERT_GT(port_, 0);
    }
    void start() {
        thread_ = std::thread([this] { server_.listen_after_bind(); });
        for (int i = 0; i < 200 && !server_.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    void TearDown() override {
        server_.stop();
        if (thread_.joinable()) {
            thread_.join();
        }
    }
    void record(const httplib::Request& req) {
        std::string target = req.path;
        std::string query;
        for (const auto& [k, v] : req.params) {
            query += (query.empty() ? "?" : "&") + k + "=" + v;
        }
        std::lock_guard lock(mutex_);
        seen_.push_back({target + query, req.get_header_value("Authorization"), now()});
    }
    std::vector<Seen> seen(const std::string& prefix) {
        std::lock_guard lock(mutex_);
        std::vector<Seen> out;
        for (const auto& s : seen_) {
            if (s.target.rfind(prefix, 0) == 0) {
                out.push_back(s);
            }
        }
        return out;
    }
    UnixTime now() const { return UnixTime(clockMs_.load() / 1000); }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }

    // Builds the sources from a config snippet and runs them on the fake clock until `until`.
    void run(const std::string& sourcesJson, UnixTime until, int timeoutSeconds = 2,
             int maxKb = 4096) {
        auto config =
            parseConfig(R"({"network": {"timeout_seconds": )" + std::to_string(timeoutSeconds) +
                            R"(, "max_response_kb": )" + std::to_string(maxKb) +
                            R"(}, "sources": [)" + sourcesJson + "]}",
                        "mock.json");
        ASSERT_TRUE(config.ok()) << config.error();
        policy_ =
            std::make_unique<HostPolicy>([this] { return clockMs_.load(); },
                                         [this](std::int64_t ms) { clockMs_ += ms; }, 1000, 0);
        PollSettings settings;
        settings.totalTimeout = std::chrono::seconds(timeoutSeconds);
        settings.connectTimeout = std::chrono::seconds(timeoutSeconds);
        settings.maxResponseBytes = std::size_t(maxKb) * 1024;
        worker_ = std::make_unique<FetchWorker>(
            SourceSet(nullptr).update(config->sources),
            [this] {
                return std::make_unique<PoliteHttpClient>(
                    std::make_unique<CurlHttpClient>("kiosk-test"), *policy_);
            },
            settings, [this](std::vector<Post> p) { store_.add(std::move(p)); },
            [this] { return now(); }, policy_.get());
        UnixTime next = worker_->runDue(now());
        while (next <= until) {
            clockMs_ = std::max<std::int64_t>(clockMs_.load(), next * 1000);
            next = worker_->runDue(now());
        }
    }

    httplib::Server server_;
    std::thread thread_;
    int port_ = 0;
    std::atomic<std::int64_t> clockMs_{kStart * 1000};
    std::mutex mutex_;
    std::vector<Seen> seen_; // guarded by mutex_
    PostStore store_{5000};
    std::unique_ptr<HostPolicy> policy_;
    std::unique_ptr<FetchWorker> worker_;
};

std::string status(long long id) {
    return nlohmann::json{{"id", std::to_string(id)},
                          {"created_at", formatIsoTime(kStart - 3600 + id)},
                          {"visibility", "public"},
                          {"content", "<p>post number " + std::to_string(id) + "</p>"},
                          {"account",
                           {{"username", "u" + std::to_string(id % 7)},
                            {"acct", "u" + std::to_string(id % 7)},
                            {"display_name", "User " + std::to_string(id % 7)}}}}
        .dump();
}

TEST_F(ApiServers, MastodonCatchesUpABurstWithoutGapsAndWaitsOutA429) {
    // The server has posts 1..5 at first; 95 more arrive before the second poll; the fourth
    // timeline request is refused until a reset ten minutes later.
    std::atomic<long long> newest{5};
    std::atomic<int> timelineCalls{0};
    server_.Get("/api/v1/timelines/tag/OpenCamp", [&](const httplib::Request& req,
                                                      httplib::Response& res) {
        record(req);
        if (++timelineCalls == 1) {
            newest = 100; // the burst lands right after the first answer
            std::string body = "[";
            for (long long id = 5; id >= 1; --id) {
                body += (id == 5 ? "" : ",") + status(id);
            }
            res.set_content(body + "]", "application/json");
            return;
        }
        res.set_header("X-RateLimit-Limit", "300");
        if (timelineCalls == 5) {
            res.status = 429;
            res.set_header("X-RateLimit-Remaining", "0");
            res.set_header("X-RateLimit-Reset", formatIsoTime(now() + 600));
            res.set_content(R"({"error":"Too many requests"})", "application/json");
            return;
        }
        res.set_header("X-RateLimit-Remaining", "250");
        const long long minId =
            req.has_param("min_id") ? std::stoll(req.get_param_value("min_id")) : 0;
        const long long limit = std::stoll(req.get_param_value("limit"));
        // min_id: the `limit` posts right after min_id, newest first.
        const long long last = std::min<long long>(newest, minId + limit);
        std::string body = "[";
        for (long long id = last; id > minId; --id) {
            body += (id == last ? "" : ",") + status(id);
        }
        res.set_header("Link", "<" + base() + "/api/v1/timelines/tag/OpenCamp?max_id=" +
                                   std::to_string(minId + 1) + ">; rel=\"next\", <" + base() +
                                   "/api/v1/timelines/tag/OpenCamp?min_id=" + std::to_string(last) +
                                   ">; rel=\"prev\"");
        res.set_content(body + "]", "application/json");
    });
    start();
    run(R"({"type": "mastodon", "server": ")" + base() +
            R"(", "hashtags": ["OpenCamp"], "poll_seconds": 30})",
        kStart + 900);

    const auto requests = seen("/api/v1/timelines/tag/OpenCamp");
    ASSERT_GE(requests.size(), 6u);
    EXPECT_EQ(requests[0].target, "/api/v1/timelines/tag/OpenCamp?limit=40");
    EXPECT_EQ(requests[1].target, "/api/v1/timelines/tag/OpenCamp?limit=40&min_id=5");
    EXPECT_EQ(requests[2].target, "/api/v1/timelines/tag/OpenCamp?limit=40&min_id=45");
    EXPECT_EQ(requests[3].target, "/api/v1/timelines/tag/OpenCamp?limit=40&min_id=85");
    EXPECT_EQ(requests[1].at - requests[0].at, 30); // the poll interval
    EXPECT_GE(requests[2].at - requests[1].at, 1);  // a polite gap within the catch-up
    // Request 5 was refused with a reset 600 s later; nothing is sent before that.
    EXPECT_GE(requests[5].at, requests[4].at + 600);
    EXPECT_EQ(store_.snapshot()->size(), 100u); // every post, no gap
    const auto health = worker_->health();
    EXPECT_TRUE(health[0].ok); // recovered after the reset
    EXPECT_EQ(health[0].postsSeen, 100u);
}

TEST_F(ApiServers, XWaitsForItsResetWhenTheQuotaIsUsedUp) {
    std::atomic<int> calls{0};
    server_.Get("/2/tweets/search/recent", [&](const httplib::Request& req,
                                               httplib::Response& res) {
        record(req);
        ++calls;
        res.set_header("x-rate-limit-limit", "450");
        // The second answer uses the last request of the window.
        res.set_header("x-rate-limit-remaining", calls == 2 ? "0" : "100");
        res.set_header("x-rate-limit-reset", std::to_string(now() + 900));
        res.set_content(test::readFile(test::fixture("x/search_recent.json")), "application/json");
    });
    start();
    run(R"({"type": "x", "bearer_token": "AAAA", "hashtags": ["OpenCamp"], "poll_seconds": 60,
            "api_base": ")" +
            base() + R"("})",
        kStart + 1200);
    const auto requests = seen("/2/tweets/search/recent");
    ASSERT_GE(requests.size(), 3u);
    EXPECT_EQ(requests[0].auth, "Bearer AAAA");
    EXPECT_EQ(requests[0].target.find("since_id"), std::string::npos);
    EXPECT_NE(requests[1].target.find("since_id=1934567890123456789"), std::string::npos);
    EXPECT_EQ(requests[1].at - requests[0].at, 60);
    EXPECT_GE(requests[2].at - requests[1].at, 900); // waited for x-rate-limit-reset
    EXPECT_EQ(store_.snapshot()->size(), 3u);
}

TEST_F(ApiServers, BlueskyLogsInOnceRefreshesAndSearches) {
    std::atomic<int> logins{0}, refreshes{0}, searches{0};
    server_.Post("/xrpc/com.atproto.server.createSession",
                 [&](const httplib::Request& req, httplib::Response& res) {
                     record(req);
                     ++logins;
                     res.set_content(R"({"did":"did:plc:wall","accessJwt":"a1","refreshJwt":"r1"})",
                                     "application/json");
                 });
    server_.Post("/xrpc/com.atproto.server.refreshSession",
                 [&](const httplib::Request& req, httplib::Response& res) {
                     record(req);
                     ++refreshes;
                     res.set_content(R"({"did":"did:plc:wall","accessJwt":"a2","refreshJwt":"r2"})",
                                     "application/json");
                 });
    server_.Get("/xrpc/app.bsky.feed.searchPosts",
                [&](const httplib::Request& req, httplib::Response& res) {
                    record(req);
                    // The access token expires after two searches, as short-lived tokens do.
                    if (++searches == 3) {
                        res.status = 400;
                        res.set_content(R"({"error":"ExpiredToken","message":"Token has expired"})",
                                        "application/json");
                        return;
                    }
                    res.set_header("RateLimit-Limit", "3000");
                    res.set_header("RateLimit-Remaining", "2990");
                    res.set_header("RateLimit-Reset", std::to_string(now() + 300));
                    res.set_header("RateLimit-Policy", "3000;w=300");
                    res.set_content(test::readFile(test::fixture("bluesky/search_posts.json")),
                                    "application/json");
                });
    start();
    const std::string session = test::writeTempFile("bsky-session-" + std::to_string(port_), "");
    std::filesystem::remove(session);
    run(R"({"type": "bluesky", "hashtags": ["OpenCamp"], "identifier": "wall.example.social",
            "app_password": "abcd-efgh-ijkl-mnop", "poll_seconds": 60, "service": ")" +
            base() + R"(", "session_file": ")" + session + R"("})",
        kStart + 300);
    EXPECT_EQ(logins, 1);
    EXPECT_EQ(refreshes, 1);
    const auto searchesSeen = seen("/xrpc/app.bsky.feed.searchPosts");
    ASSERT_GE(searchesSeen.size(), 5u);
    EXPECT_EQ(searchesSeen[0].auth, "Bearer a1");
    EXPECT_EQ(searchesSeen[3].auth, "Bearer a2"); // the retry after the refresh
    EXPECT_EQ(searchesSeen[0].target, "/xrpc/app.bsky.feed.searchPosts?limit=50&q=#OpenCamp&"
                                      "sort=latest");
    EXPECT_EQ(store_.snapshot()->size(), 3u);
    EXPECT_TRUE(worker_->health()[0].ok);
}

TEST_F(ApiServers, EveryKindOfBrokenServerIsReportedAndTheOthersStillLoad) {
    const std::string timeline = test::readFile(test::fixture("mastodon/tag_timeline_mixed.json"));
    server_.Get(R"(/good/api/v1/timelines/tag/\w+)", [&](const auto& req, auto& res) {
        record(req);
        res.set_content(timeline, "application/json");
    });
    server_.Get(R"(/token/api/v1/timelines/tag/\w+)", [&](const auto& req, auto& res) {
        record(req);
        res.status = 401;
        res.set_content(R"({"error":"The access token is invalid"})", "application/json");
    });
    server_.Get(R"(/forbidden/api/v1/timelines/tag/\w+)", [&](const auto& req, auto& res) {
        record(req);
        res.status = 403;
        res.set_content("<html><body>Forbidden</body></html>", "text/html");
    });
    server_.Get(R"(/huge/api/v1/timelines/tag/\w+)", [&](const auto& req, auto& res) {
        record(req);
        res.set_content("[" + std::string(40 * 1024, ' ') + "]", "application/json");
    });
    server_.Get(R"(/invalid/api/v1/timelines/tag/\w+)", [&](const auto& req, auto& res) {
        record(req);
        res.set_content(R"([{"id": "1", "content": "<p>cut off)", "application/json");
    });
    server_.Get(R"(/drip/api/v1/timelines/tag/\w+)", [&](const auto& req, auto& res) {
        record(req);
        // Two bytes now and then: the transfer never finishes within the total timeout.
        res.set_chunked_content_provider(
            "application/json", [](size_t offset, httplib::DataSink& sink) {
                if (offset > 40) {
                    sink.done();
                    return true;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                return sink.write("[ ", 2);
            });
    });
    server_.Get(R"(/silent/api/v1/timelines/tag/\w+)", [&](const auto& req, auto&) {
        record(req);
        std::this_thread::sleep_for(std::chrono::milliseconds(2500)); // never answers in time
    });
    start();
    std::string sources;
    for (const char* prefix :
         {"/token", "/forbidden", "/huge", "/invalid", "/drip", "/silent", "/good"}) {
        sources += std::string(sources.empty() ? "" : ",") + R"({"type": "mastodon", "server": ")" +
                   base() + prefix + R"(", "hashtags": ["OpenCamp"]})";
    }
    run(sources, kStart, 1, 16);
    EXPECT_EQ(store_.snapshot()->size(), 4u); // the good server's posts
    const auto health = worker_->health();
    ASSERT_EQ(health.size(), 7u);
    const std::vector<std::string> expected = {
        "HTTP 401 (the server wants a valid access token): The access token is invalid",
        "HTTP 403 (access forbidden)",
        "response larger than the 16 KiB limit",
        "not valid JSON",
        "timed out",
        "timed out"};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_FALSE(health[i].ok) << health[i].label;
        EXPECT_NE(health[i].lastError.find(expected[i]), std::string::npos)
            << health[i].label << ": " << health[i].lastError;
        EXPECT_NE(health[i].lastError.find(base()), std::string::npos) << "names the URL";
        // The jitter may land the first retry on the normal 30 s interval, never sooner.
        EXPECT_GE(health[i].nextPoll, kStart + 30) << "backed off";
    }
    EXPECT_TRUE(health[6].ok);
}

} // namespace
} // namespace kiosk
