// The fetch worker: every source polled, one failing source reported in health while the
// others still deliver, and backoff that grows, caps and jitters.
#include "kiosk/fetch/FetchWorker.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/sources/Mastodon.h"
#include "kiosk/sources/WordPress.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

std::shared_ptr<Source> mastodon(const std::string& server) {
    MastodonSource::Settings s;
    s.server = server;
    s.hashtags = {"Camp"};
    return std::make_shared<MastodonSource>(s);
}

std::unique_ptr<HttpClient> scriptedClient() {
    auto http = std::make_unique<test::FakeHttpClient>();
    http->onJson("https://good.example/", 200,
                 test::readFile(test::fixture("mastodon/tag_timeline_mixed.json")));
    http->onJson("https://down.example/", 503, "<html>Service Unavailable</html>");
    http->on("https://dead.example/", [](const HttpRequest&) {
        HttpResponse r;
        r.error = "Connection timed out after 10001 milliseconds";
        return r;
    });
    return http;
}

TEST(FetchWorker, OneDeadSourceNeverStopsTheOthers) {
    PostStore store;
    constexpr UnixTime now = 1781343000;
    FetchWorker worker(
        {mastodon("https://down.example"), mastodon("https://good.example"),
         mastodon("https://dead.example")},
        scriptedClient, {}, [&store](std::vector<Post> p) { store.add(std::move(p)); },
        [] { return now; });
    worker.pollOnce();
    EXPECT_EQ(store.snapshot()->size(), 4u);
    const auto health = worker.health();
    ASSERT_EQ(health.size(), 3u);
    EXPECT_FALSE(health[0].ok);
    EXPECT_EQ(health[0].lastError,
              "https://down.example/api/v1/timelines/tag/Camp?limit=40: HTTP 503 (server error)");
    EXPECT_TRUE(health[1].ok);
    EXPECT_EQ(health[1].postsSeen, 4u);
    EXPECT_EQ(health[1].lastSuccess, now);
    EXPECT_EQ(health[1].nextPoll, now + 30);
    EXPECT_FALSE(health[2].ok);
    EXPECT_NE(health[2].lastError.find("Connection timed out"), std::string::npos);
    // After a failure the next poll is backed off beyond the normal interval's lower half.
    EXPECT_GE(health[0].nextPoll, now + 30);
    EXPECT_EQ(describeHealth(health[1], now),
              "mastodon #Camp @ good.example: ok, 4 posts, next poll in 30 s");
    EXPECT_EQ(describeHealth(health[0], now)
                  .rfind("mastodon #Camp @ down.example: error: "
                         "https://down.example/",
                         0),
              0u);
}

TEST(FetchWorker, StartAndStopPromptly) {
    PostStore store;
    FetchWorker worker(
        {mastodon("https://good.example")}, scriptedClient, {},
        [&store](std::vector<Post> p) { store.add(std::move(p)); },
        [] { return UnixTime(1781343000); });
    worker.start();
    for (int i = 0; i < 200 && store.snapshot()->empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    worker.stop(); // returns although the source would sleep for 30 s
    EXPECT_EQ(store.snapshot()->size(), 4u);
}

TEST(Backoff, GrowsCapsAndJitters) {
    using std::chrono::seconds;
    EXPECT_EQ(backoffDelay(seconds(30), 0, 0.5), seconds(30));
    EXPECT_EQ(backoffDelay(seconds(30), 1, 0.0), seconds(30)); // half of 60
    EXPECT_EQ(backoffDelay(seconds(30), 1, 0.999), seconds(59));
    EXPECT_EQ(backoffDelay(seconds(30), 3, 0.0), seconds(120));    // half of 240
    EXPECT_LE(backoffDelay(seconds(30), 30, 0.999), seconds(900)); // capped at 15 minutes
    EXPECT_GE(backoffDelay(seconds(30), 30, 0.0), seconds(450));
}

} // namespace
} // namespace kiosk
