// The control page attacked the way a hostile person on the venue's open Wi-Fi would: slow and
// idle connections, header floods, forged cross-site logins, parallel wrong logins, deep JSON,
// secrets redirected to another host, files and internal URLs through sources, hostile
// hashtags and Host headers. Attackers are real sockets from other loopback addresses
// (127.0.0.2 and up), the organiser is 127.0.0.1; every loop is bounded in count and time.
#include "AdminHarness.h"
#include "RawSocket.h"

#include "kiosk/base/FileText.h"
#include "kiosk/base/Log.h"
#include "kiosk/config/ConfigFile.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <thread>
#include <vector>

namespace kiosk::test {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

class AdminAttackTest : public AdminHarness {
protected:
    // A second listener on the same page with small limits, so floods stay small and quick.
    int tightServer(unsigned requestSeconds = 2) {
        AdminServerOptions o;
        o.address = "127.0.0.1";
        o.port = 0;
        o.hasToken = true;
        o.maxConnections = 48;
        o.perClient = 6;
        o.keptForOrganisers = 8;
        o.requestSeconds = requestSeconds;
        tight = std::make_unique<AdminServer>(*api);
        auto bound = tight->start(o);
        EXPECT_TRUE(bound) << bound.error();
        return bound ? *bound : 0;
    }

    int organiserStatus(int atPort) {
        httplib::Client c("127.0.0.1", atPort);
        c.set_connection_timeout(5, 0);
        c.set_read_timeout(5, 0);
        auto res = c.Get("/api/status", bearer());
        return res ? res->status : 0;
    }

    void TearDown() override {
        if (tight) {
            tight->stop();
        }
        AdminHarness::TearDown();
    }

    std::unique_ptr<AdminServer> tight;
};

TEST_F(AdminAttackTest, SlowClientsAreCutOffAndThePageStaysReachable) {
    const int p = tightServer(2);
    ASSERT_EQ(organiserStatus(p), 200); // the organiser has shown the token from 127.0.0.1
    // Slowloris: connections that send a header line every 300 ms and never finish.
    std::vector<int> slow;
    for (int i = 0; i < 6; ++i) {
        const int fd = connectFrom("127.0.0.2", p);
        ASSERT_GE(fd, 0);
        ASSERT_TRUE(sendText(fd, "GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
        slow.push_back(fd);
    }
    // A seventh from the same address is over the per-client limit.
    const int extra = connectFrom("127.0.0.2", p);
    if (extra >= 0) {
        EXPECT_TRUE(closedByServer(extra, std::chrono::milliseconds(2000)));
        ::close(extra);
    }
    std::vector<bool> cut(slow.size(), false);
    const auto deadline = Clock::now() + std::chrono::seconds(8);
    int answered = 0;
    while (Clock::now() < deadline &&
           std::count(cut.begin(), cut.end(), true) < std::ptrdiff_t(slow.size())) {
        for (std::size_t i = 0; i < slow.size(); ++i) {
            if (!cut[i] && (!sendText(slow[i], "X-Slow: 1\r\n") ||
                            closedByServer(slow[i], std::chrono::milliseconds(50)))) {
                cut[i] = true;
            }
        }
        answered += organiserStatus(p) == 200;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
    EXPECT_EQ(std::count(cut.begin(), cut.end(), true), std::ptrdiff_t(slow.size()))
        << "slow requests must be cut off after the 2 s request deadline";
    EXPECT_GE(answered, 1) << "the organiser was answered while the slow clients dripped";
    for (int fd : slow) {
        ::close(fd);
    }
}

TEST_F(AdminAttackTest, IdleConnectionFloodLeavesRoomForTheOrganiser) {
    const int p = tightServer(30);
    ASSERT_EQ(organiserStatus(p), 200);
    // Strangers from eight addresses open all they may (6 each, 48 in all): more than the
    // listener gives strangers (48 - 8 kept).
    std::vector<int> idle;
    for (int a = 2; a < 10; ++a) {
        const std::string source = "127.0.0." + std::to_string(a);
        for (int i = 0; i < 6; ++i) {
            const int fd = connectFrom(source.c_str(), p);
            if (fd >= 0) {
                idle.push_back(fd);
            }
        }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // let the listener accept
    // Strangers get 40 at most; each of the listener's two threads may let one more in while
    // the other is counting.
    EXPECT_LE(tight->openConnections(), 42u);
    EXPECT_EQ(organiserStatus(p), 200) << "a known organiser address still gets in";
    for (int fd : idle) {
        ::close(fd);
    }
}

TEST_F(AdminAttackTest, HeaderFloodIsRefusedWithinTheConnectionsMemory) {
    const int p = tightServer(10);
    const int fd = connectFrom("127.0.0.2", p);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(sendText(fd, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    // Up to 4 MB of header lines, in batches; the server must refuse long before the end.
    std::string batch;
    for (int i = 0; i < 1000; ++i) {
        batch += "X-" + std::to_string(i) + ": v\r\n";
    }
    bool refused = false;
    for (int sent = 0; sent < 4 * 1024 * 1024 && !refused; sent += int(batch.size())) {
        refused = !sendText(fd, batch) || closedByServer(fd, std::chrono::milliseconds(0));
    }
    EXPECT_TRUE(refused || closedByServer(fd, std::chrono::milliseconds(3000)));
    ::close(fd);
    EXPECT_EQ(organiserStatus(p), 200);
}

TEST_F(AdminAttackTest, CrossSiteLoginAttemptsCannotLockTheOrganiserOut) {
    auto c = client();
    // What a page on another site can send without a preflight: text/plain, or a form.
    for (int i = 0; i < 8; ++i) {
        auto res = c.Post("/api/login", R"({"token":"wrong"})", "text/plain");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, 415);
    }
    auto crossSite = c.Post("/api/login", {{"Sec-Fetch-Site", "cross-site"}},
                            R"({"token":"wrong"})", "application/json");
    ASSERT_TRUE(crossSite);
    EXPECT_EQ(crossSite->status, 403);
    auto organiser = postLogin(kAdminToken);
    ASSERT_TRUE(organiser);
    EXPECT_EQ(organiser->status, 200) << organiser->body;
}

TEST_F(AdminAttackTest, ParallelWrongLoginsDoNotHoldTheOrganiserUp) {
    const int p = tightServer(10);
    // 32 guesses at once from eight other addresses; nothing on the server sleeps for them.
    // (40 would fill every connection the tight server leaves to strangers, and one that is
    // still closing then turns the 40th away: that is the limit working, not a hang.)
    std::vector<std::thread> guessers;
    std::atomic<int> refused{0};
    for (int i = 0; i < 32; ++i) {
        guessers.emplace_back([&, i] {
            const std::string source = "127.0.0." + std::to_string(2 + i % 8);
            const std::string body = R"({"token":"guess-)" + std::to_string(i) + "\"}";
            const std::string answer =
                exchange(source.c_str(), p,
                         "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                         "Content-Type: application/json\r\nContent-Length: " +
                             std::to_string(body.size()) + "\r\n\r\n" + body);
            refused += answer.rfind("HTTP/1.1 401", 0) == 0 || answer.rfind("HTTP/1.1 429", 0) == 0;
        });
    }
    const int organiser = organiserStatus(p);
    for (auto& t : guessers) {
        t.join();
    }
    EXPECT_EQ(organiser, 200);
    EXPECT_EQ(refused.load(), 32) << "every guess is answered, none hangs";
}

TEST_F(AdminAttackTest, DeepJsonIsRefusedNotCrashed) {
    const std::string deep =
        R"({"sources":[)" + std::string(20000, '[') + std::string(20000, ']') + "]}";
    const json answer = send("PUT", "/api/sources", deep, 400);
    EXPECT_NE(answer.value("error", "").find("nested deeper"), std::string::npos) << answer;
    EXPECT_EQ(organiserStatus(port), 200);
}

TEST_F(AdminAttackTest, BytesThatAreNotUtf8InTheRequestLineDoNotEndTheWall) {
    // Found by fuzz_admin_api: an answer that echoed the path threw while it was written as
    // JSON, and the exception ended the wall. No login needed.
    for (const char* target : {"/%94", "/api/%C3%28", "/api/venue/%FF%FE", "/post%E2%82"}) {
        const std::string answer = exchange("127.0.0.50", port,
                                            std::string("GET ") + target +
                                                " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                                "Connection: close\r\n\r\n");
        EXPECT_EQ(answer.rfind("HTTP/1.1 4", 0), 0u) << target << ": " << answer;
        if (answer.find("no such page") != std::string::npos) {
            EXPECT_NE(answer.find("\xef\xbf\xbd"), std::string::npos)
                << target << ": the odd byte comes back as U+FFFD: " << answer;
        }
    }
    // Still answering.
    EXPECT_EQ(send("GET", "/api/status", "", 200)["event"], "Harbour Camp");
}

TEST_F(AdminAttackTest, HostileValuesAreRefusedNamingTheField) {
    for (const std::string& tag : {std::string("camp\\u0000x"), std::string("a\\\\b"),
                                   std::string("100%"), std::string("camp\\u202e")}) {
        const json answer = send("PUT", "/api/hashtags", R"({"hashtags":[")" + tag + "\"]}", 400);
        EXPECT_NE(answer.value("error", "").find("hashtags[0]"), std::string::npos) << tag;
    }
    json many = {{"hashtags", json::array()}};
    for (int i = 0; i < 2000; ++i) {
        many["hashtags"].push_back("tag" + std::to_string(i));
    }
    send("PUT", "/api/hashtags", many.dump(), 400);
    send("PUT", "/api/hashtags", R"({"hashtags":["Camp2026","café_münchen","キャンプ"]})", 200);
    send("POST", "/api/blocks", R"({"kind":"author","value":"@a@b.example\nX-Evil: 1"})", 400);
    send("GET", "/api/posts?limit=5abc", "", 400);
    send("GET", "/api/posts?limit=5", "", 200);
    EXPECT_FALSE(isLoopbackAddress("127.evil.example"));
    EXPECT_FALSE(isLoopbackAddress("::ffff:10.0.0.1"));
    EXPECT_TRUE(isLoopbackAddress("127.0.0.1"));
    EXPECT_TRUE(isLoopbackAddress("::1"));
}

TEST_F(AdminAttackTest, OtherHostNamesAreRefusedAgainstDnsRebinding) {
    auto c = client();
    auto rebound = c.Get("/api/status", {{"Authorization", std::string("Bearer ") + kAdminToken},
                                         {"Host", "wall.attacker.example"}});
    ASSERT_TRUE(rebound);
    EXPECT_EQ(rebound->status, 421);
    EXPECT_FALSE(rebound->get_header_value("Content-Security-Policy").empty());
    auto byAddress = c.Get("/api/status", {{"Authorization", std::string("Bearer ") + kAdminToken},
                                           {"Host", "127.0.0.1:8080"}});
    ASSERT_TRUE(byAddress);
    EXPECT_EQ(byAddress->status, 200);
    api->setHostNames({"wall.camp.example"});
    auto byName = c.Get("/api/status", {{"Authorization", std::string("Bearer ") + kAdminToken},
                                        {"Host", "Wall.Camp.Example:8080"}});
    ASSERT_TRUE(byName);
    EXPECT_EQ(byName->status, 200);
}

TEST_F(AdminAttackTest, AForgedHostHeaderCannotForgeLogLines) {
    // The refusal names the Host it got. A stranger's Host with terminal escapes and a vertical
    // tab (no HTTP header may hold one, but libmicrohttpd passes it on) must stay one inert line.
    std::vector<std::string> warnings;
    setLogSink([&](LogLevel level, std::string_view module, std::string_view message) {
        if (level == LogLevel::Warn && module == "admin") {
            warnings.emplace_back(message);
        }
    });
    const std::string answer = exchange("127.0.0.61", port,
                                        "GET /api/status HTTP/1.1\r\nHost: wall\x1b]0;pwned\x07"
                                        "\x1b[2J.example\x0b"
                                        "E admin: forged\r\n"
                                        "Connection: close\r\n\r\n");
    setLogSink(nullptr);
    EXPECT_EQ(answer.rfind("HTTP/1.1 421", 0), 0u) << answer;
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("Host \"wall\\x1b]0;pwned\\x07\\x1b[2J.example\\x0b"
                               "E admin: forged\" from 127.0.0.61"),
              std::string::npos)
        << warnings[0];
    for (const char c : warnings[0]) {
        EXPECT_GE(static_cast<unsigned char>(c), 0x20u) << warnings[0];
    }
    EXPECT_EQ(organiserStatus(port), 200);
}

TEST_F(AdminAttackTest, ABodylessPostGetsOurAnswerWithTheSecurityHeaders) {
    auto c = client();
    auto res = c.Post("/api/posts/hide", bearer(), "", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    EXPECT_FALSE(res->get_header_value("Content-Security-Policy").empty());
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
}

TEST_F(AdminAttackTest, PageSourcesAreWebAddressesOnly) {
    for (const char* url : {"file:/etc/passwd", "file:///proc/self/environ", "gopher://x/"}) {
        json body = {{"sources",
                      {{{"type", "rss"}, {"url", url}},
                       {{"type", "wordpress"}, {"site", "https://blog.harbour.example"}}}}};
        const json answer = send("PUT", "/api/sources", body.dump(), 400);
        EXPECT_NE(answer.value("error", "").find("sources[0].url"), std::string::npos) << answer;
    }
    const json session = {
        {"sources",
         {{{"type", "bluesky"}, {"hashtags", {"HarbourCamp"}}, {"session_file", configPath}}}}};
    const json answer = send("PUT", "/api/sources", session.dump(), 400);
    EXPECT_NE(answer.value("error", "").find("session_file"), std::string::npos) << answer;
    EXPECT_TRUE(loadConfigFile(configPath)) << "the config file was not touched";
}

TEST_F(AdminAttackTest, ThePageCanBeServedOverHttps) {
    // A self-signed certificate for 127.0.0.1, as an organiser would make one for the board.
    const auto dir =
        std::filesystem::temp_directory_path() / ("kiosk-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string cert = (dir / "cert.pem").string(), key = (dir / "key.pem").string();
    const std::string make = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "
                             "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
                             key + "' -out '" + cert + "' >/dev/null 2>&1";
    ASSERT_EQ(std::system(make.c_str()), 0) << "openssl could not make a test certificate";
    AdminServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.hasToken = true;
    o.tlsCertPem = readTextFile(cert).value_or("");
    o.tlsKeyPem = readTextFile(key).value_or("");
    tight = std::make_unique<AdminServer>(*api);
    auto bound = tight->start(o);
    ASSERT_TRUE(bound) << bound.error();
    httplib::SSLClient tls("127.0.0.1", *bound);
    tls.set_ca_cert_path(cert.c_str());
    tls.enable_server_certificate_verification(true);
    tls.set_read_timeout(10, 0);
    auto res = tls.Get("/api/status", bearer());
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 200);
    httplib::Client plain("127.0.0.1", *bound);
    plain.set_read_timeout(3, 0);
    auto clear = plain.Get("/api/status", bearer());
    EXPECT_TRUE(!clear || clear->status != 200) << "plain HTTP must not reach the page";
    std::filesystem::remove_all(dir);
}

TEST_F(AdminAttackTest, ListeningOnEveryAddressTakesIpv4Too) {
    AdminServerOptions o;
    o.address = "::";
    o.port = 0;
    o.hasToken = true;
    tight = std::make_unique<AdminServer>(*api);
    auto bound = tight->start(o);
    if (!bound) {
        GTEST_SKIP() << "no IPv6 here: " << bound.error();
    }
    const std::string answer =
        exchange("127.0.0.2", *bound,
                 "GET /icon.svg HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer.substr(0, 200);
}

TEST(AdminSecrets, AKeptSecretGoesBackOnlyToTheSameEndpoint) {
    const ordered_json current = ordered_json::parse(R"J([
      {"type": "mastodon", "server": "https://social.example", "token": "m-secret"},
      {"type": "bluesky", "identifier": "wall.bsky.social", "app_password": "b-secret"},
      {"type": "x", "bearer_token": "x-secret", "query": "#camp"},
      {"type": "rss", "url": "file:/srv/demo/feed.xml"}
    ])J");
    const ordered_json redirected[] = {
        ordered_json::parse(R"J({"type": "mastodon", "server": "https://social.example",
                                "url": "http://attacker.example/", "token": "(hidden)"})J"),
        ordered_json::parse(R"J({"type": "bluesky", "identifier": "wall.bsky.social",
                                "service": "http://attacker.example",
                                "app_password": "(hidden)"})J"),
        ordered_json::parse(R"J({"type": "x", "api_base": "http://attacker.example/x",
                                "bearer_token": "(hidden)", "query": "#camp"})J"),
        ordered_json::parse(R"J({"type": "bluesky", "identifier": "other.bsky.social",
                                "app_password": "(hidden)"})J"),
    };
    for (const auto& source : redirected) {
        ordered_json list = ordered_json::array({source});
        EXPECT_THROW(checkPageSources(list, current), std::invalid_argument) << source.dump();
    }
    ordered_json same = ordered_json::parse(R"J([
      {"type": "x", "bearer_token": "(hidden)", "query": "#camp2026"},
      {"type": "mastodon", "server": "https://social.example", "token": "(hidden)",
       "hashtags": ["camp"]},
      {"type": "rss", "url": "file:/srv/demo/feed.xml", "poll_seconds": 600}
    ])J");
    checkPageSources(same, current);
    EXPECT_EQ(same[0]["bearer_token"], "x-secret");
    EXPECT_EQ(same[1]["token"], "m-secret");
}

TEST(AdminConfigFileTest, TheTemporaryFileIsNeverReadableByOthers) {
    const std::string path = writeTempFile("secret-kiosk.json", R"({"admin":{"token":"t"}})");
    ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
    const mode_t previous = ::umask(022);
    std::atomic<bool> done{false};
    std::atomic<int> exposed{0}, seen{0};
    std::thread watcher([&] {
        struct stat st {};
        for (int i = 0; i < 2000000 && !done; ++i) {
            if (::stat((path + ".new").c_str(), &st) == 0) {
                ++seen;
                exposed += (st.st_mode & 077) != 0;
            }
        }
    });
    for (int i = 0; i < 150; ++i) {
        ASSERT_TRUE(
            replaceFileAtomically(path, R"({"admin":{"token":"t)" + std::to_string(i) + "\"}}"));
    }
    done = true;
    watcher.join();
    ::umask(previous);
    EXPECT_EQ(exposed.load(), 0) << "of " << seen.load() << " looks at the temporary file";
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// Whatever a command throws, the listener answers: an exception unwinding into libmicrohttpd's
// C frames would end the wall. Before, only BadRequest was caught on the way out.
TEST(AdminLastResort, AnExceptionNoRouteExpectedIsA500AndALogLineNotACrash) {
    AdminAuth auth(kAdminToken, 3600);
    AdminApi api(
        auth,
        [](std::function<Reply(WallControl&)>) -> Reply {
            throw std::runtime_error("the database file went away");
        },
        "/nonexistent", [] { return UnixTime(1784000000); });
    std::vector<std::string> logged;
    setLogSink([&](LogLevel level, std::string_view module, std::string_view message) {
        if (level == LogLevel::Error) {
            logged.push_back(std::string(module) + ": " + std::string(message));
        }
    });
    AdminRequest request;
    request.method = "GET";
    request.path = "/api/status";
    request.client = "10.0.0.9";
    request.headers["authorization"] = std::string("Bearer ") + kAdminToken;
    AdminResponse r;
    EXPECT_NO_THROW(r = api.handle(request));
    setLogSink(nullptr);
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(nlohmann::json::parse(r.body)["error"],
              "the wall could not answer this; its log says why");
    EXPECT_TRUE(std::any_of(r.headers.begin(), r.headers.end(),
                            [](const auto& h) { return h.first == "Content-Security-Policy"; }));
    ASSERT_EQ(logged.size(), 1u);
    EXPECT_EQ(logged[0], "admin: unexpected failure answering GET /api/status from 10.0.0.9: the "
                         "database file went away");
    EXPECT_THROW(api.route(request), std::runtime_error) << "route keeps it for the fuzz targets";
}

} // namespace
} // namespace kiosk::test
