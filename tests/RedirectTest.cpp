// Where an API server's redirect may send the wall, over real HTTP on 127.0.0.1: to its own
// host (followed), never to another port on the board or another host (refused, and nothing
// reaches that service); pictures from posts never from the board, the LAN or a metadata
// address, checked on each address before a socket is opened and on every redirect hop.
#include "kiosk/base/Url.h"
#include "kiosk/fetch/MediaDownloads.h"
#include "kiosk/net/CurlHttpClient.h"
#include "kiosk/sources/Mastodon.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

namespace kiosk {
namespace {

class Listener {
public:
    explicit Listener(const char* address = "127.0.0.1") {
        server.set_keep_alive_max_count(1); // stop() need not wait out a client's idle connection
        port = server.bind_to_any_port(address);
        if (port <= 0) {
            return; // no such address here (IPv6 switched off)
        }
        thread = std::thread([this] { server.listen_after_bind(); });
        for (int i = 0; i < 200 && !server.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    ~Listener() {
        if (thread.joinable()) {
            server.stop();
            thread.join();
        }
    }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port); }
    httplib::Server server;
    std::thread thread;
    int port = 0;
};

TEST(Redirects, AnApiAnswerCannotSendTheWallToAnotherServiceOnTheBoard) {
    Listener internal; // the router's admin page, the Pi's own services
    std::atomic<int> reached{0};
    internal.server.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
        ++reached;
        res.set_content("[]", "application/json");
    });
    Listener api;
    api.server.Get("/api/v1/timelines/tag/HarbourCamp",
                   [&](const httplib::Request&, httplib::Response& res) {
                       res.set_redirect(internal.base() + "/admin/reboot");
                   });
    api.server.Get("/api/v1/timelines/tag/Moved",
                   [&](const httplib::Request&, httplib::Response& res) {
                       res.set_redirect("/api/v1/timelines/tag/HarbourCamp2");
                   });
    api.server.Get("/api/v1/timelines/tag/HarbourCamp2",
                   [](const httplib::Request&, httplib::Response& res) {
                       res.set_content("[]", "application/json");
                   });
    CurlHttpClient http("kiosk-test");
    PollSettings settings;
    const HttpResponse refused =
        http.send(settings.request(api.base() + "/api/v1/timelines/tag/HarbourCamp"));
    EXPECT_EQ(refused.status, 0);
    EXPECT_NE(refused.error.find("redirected to " + internal.base() + "/admin/reboot"),
              std::string::npos)
        << refused.error;
    EXPECT_EQ(reached.load(), 0);
    // On its own host a redirect is followed.
    const HttpResponse followed =
        http.send(settings.request(api.base() + "/api/v1/timelines/tag/Moved"));
    EXPECT_EQ(followed.status, 200) << followed.error;
}

} // namespace
} // namespace kiosk

namespace kiosk {
namespace {

TEST(Redirects, PicturesFromPostsComeFromTheInternetOnly) {
    Listener lan; // the router, the Pi's own services, a cloud metadata address
    std::atomic<int> reached{0};
    lan.server.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
        ++reached;
        res.set_content("\x89PNG", "image/png");
    });
    MediaCache cache(std::filesystem::temp_directory_path() / "kiosk-media-private", {});
    CurlHttpClient http("kiosk-test");
    // An avatar URL on the board itself (127.0.0.1 and "localhost"): refused before sending.
    for (const std::string host : {"127.0.0.1", "localhost"}) {
        auto refused = downloadMedia(
            cache, http, "http://" + host + ":" + std::to_string(lan.port) + "/avatar.png");
        ASSERT_FALSE(refused);
        EXPECT_NE(refused.error().find("not a public address"), std::string::npos)
            << refused.error();
    }
    EXPECT_EQ(reached.load(), 0);
    // A host the config names (a venue's own Mastodon on the LAN) is allowed.
    auto allowed = downloadMedia(cache, http, lan.base() + "/avatar.png", {"127.0.0.1"});
    EXPECT_EQ(reached.load(), 1) << (allowed ? "" : allowed.error());
}

TEST(Redirects, PicturesAtPrivateAddressesAreRefusedBeforeAnyConnection) {
    MediaCache cache(std::filesystem::temp_directory_path() / "kiosk-media-private-ip", {});
    CurlHttpClient http("kiosk-test");
    // Nothing listens at these in the test; a connect() would wait for the 10 s connect
    // timeout and fail with "timed out", so the message shows that no socket was opened.
    for (const std::string url :
         {"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
          "http://10.213.7.1:8080/avatar.png", "http://192.168.1.1/cgi-bin/luci",
          "http://[fd12:3456::1]/avatar.png", "http://0.0.0.0:9/avatar.png"}) {
        auto refused = downloadMedia(cache, http, url);
        ASSERT_FALSE(refused) << url;
        EXPECT_NE(refused.error().find("not a public address"), std::string::npos)
            << url << ": " << refused.error();
    }
}

TEST(Redirects, PicturesOnTheBoardOverIpv6AndEveryRedirectHopAreChecked) {
    std::atomic<int> reached{0};
    Listener board; // the wall's own admin page, say
    board.server.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
        ++reached;
        res.set_content("\x89PNG", "image/png");
    });
    MediaCache cache(std::filesystem::temp_directory_path() / "kiosk-media-private-hop", {});
    CurlHttpClient http("kiosk-test");
    // "localhost" is a name that resolves to loopback; a venue's LAN Mastodon named in the
    // config may serve pictures, but its redirect to another loopback port (127.0.0.1, which
    // the config does not name) is refused on that hop.
    Listener venue;
    venue.server.Get("/avatar.png", [&](const httplib::Request&, httplib::Response& res) {
        res.set_redirect(board.base() + "/admin/avatar.png");
    });
    auto hop =
        downloadMedia(cache, http, "http://localhost:" + std::to_string(venue.port) + "/avatar.png",
                      {"localhost"});
    ASSERT_FALSE(hop);
    EXPECT_NE(hop.error().find(board.base() + "/admin/avatar.png"), std::string::npos)
        << hop.error();
    EXPECT_EQ(reached.load(), 0);

    Listener v6("::1");
    if (v6.port <= 0) {
        GTEST_SKIP() << "no IPv6 loopback on this machine";
    }
    v6.server.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
        ++reached;
        res.set_content("\x89PNG", "image/png");
    });
    auto refused = downloadMedia(cache, http, "http://[::1]:" + std::to_string(v6.port) + "/a.png");
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("not a public address"), std::string::npos) << refused.error();
    EXPECT_EQ(reached.load(), 0);
}

TEST(Redirects, PublicAddressesAreToldFromPrivateOnes) {
    for (const char* ip : {"127.0.0.1", "10.1.2.3", "172.16.0.9", "172.31.255.1", "192.168.1.1",
                           "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1",
                           "::", "fe80::1", "fd00::5", "ff02::1", "::ffff:10.0.0.1", "not-an-ip"}) {
        EXPECT_FALSE(isPublicIpAddress(ip)) << ip;
    }
    for (const char* ip :
         {"93.184.216.34", "172.32.0.1", "8.8.8.8", "2a01:4f8::1", "::ffff:93.184.216.34"}) {
        EXPECT_TRUE(isPublicIpAddress(ip)) << ip;
    }
}

} // namespace
} // namespace kiosk
