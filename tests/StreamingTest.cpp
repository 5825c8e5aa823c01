// Server-sent events: framing, the recorded Mastodon stream, and a Mastodon hashtag stream
// over real HTTP delivering new posts, edits and deletions, then dropping back to polling.
#include "kiosk/fetch/FetchWorker.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/net/CurlHttpClient.h"
#include "kiosk/net/Sse.h"
#include "kiosk/sources/Mastodon.h"

#include "TestSupport.h"

#include <httplib.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <thread>

namespace kiosk {
namespace {

std::vector<SseEvent> parseAll(const std::vector<std::string>& chunks,
                               std::size_t* beats = nullptr) {
    std::vector<SseEvent> events;
    SseParser parser([&events](const SseEvent& e) { events.push_back(e); });
    for (const auto& c : chunks) {
        parser.feed(c);
    }
    if (beats) {
        *beats = parser.heartbeats();
    }
    return events;
}

TEST(Sse, EventsHeartbeatsAndSplitChunks) {
    std::size_t beats = 0;
    const auto events = parseAll({":)\n", "event: upd", "ate\ndata: {\"a\"", ":1}\n\n:thump\n",
                                  "event: delete\r\ndata: 123\r\n\r\n", "data: one\ndata: two\n\n"},
                                 &beats);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[0].event, "update");
    EXPECT_EQ(events[0].data, "{\"a\":1}");
    EXPECT_EQ(events[1].event, "delete");
    EXPECT_EQ(events[1].data, "123");
    EXPECT_EQ(events[2].event, "message");
    EXPECT_EQ(events[2].data, "one\ntwo");
    EXPECT_EQ(beats, 2u);
}

TEST(Sse, AnEventWithoutItsBlankLineIsNotDeliveredYet) {
    EXPECT_TRUE(parseAll({"event: update\ndata: {}\n"}).empty());
}

TEST(Sse, RecordedMastodonStream) {
    const auto path =
        std::filesystem::path(KIOSK_REALWORLD) / "mastodon" / "devserver_streaming_user_sse.txt";
    if (!std::filesystem::exists(path)) {
        GTEST_SKIP() << "no realworld capture here";
    }
    std::string body = test::readFile(path.string());
    body += "\n\n"; // the capture stops right after its last data line
    const auto events = parseAll({body});
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events[0].event, "update");
    const auto parsed = parseMastodon(events[0].data, {"localhost"});
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    ASSERT_EQ(parsed->posts.size(), 1u);
    EXPECT_EQ(parsed->posts[0].text, "it's cool guy");
}

std::string statusJson(const std::string& id, const std::string& text) {
    return nlohmann::json{
        {"id", id},
        {"created_at", "2026-06-13T10:00:00.000Z"},
        {"visibility", "public"},
        {"content", "<p>" + text + "</p>"},
        {"account", {{"username", "ana"}, {"acct", "ana"}, {"display_name", "Ana"}}}}
        .dump();
}

TEST(MastodonStream, UpdatesEditsAndDeletesReachTheSink) {
    test::FakeHttpClient http;
    const std::string body =
        ":)\nevent: update\ndata: " + statusJson("501", "hello") +
        "\n\nevent: status.update\ndata: " + statusJson("501", "hello, edited") +
        "\n\nevent: delete\ndata: 499\n\n";
    http.on("https://m.example/api/v1/streaming/hashtag", [&body](const HttpRequest& r) {
        HttpResponse resp;
        resp.status = r.headers.empty() ? 401 : 200;
        resp.body = body;
        return resp;
    });
    MastodonSource::Settings s;
    s.server = "https://m.example";
    s.hashtags = {"OpenCamp"};
    s.token = "user-token";
    MastodonSource source(s);
    ASSERT_TRUE(source.canStream());
    std::vector<Post> posts;
    std::vector<std::string> deleted;
    StreamSink sink{
        [&posts](std::vector<Post> p) { posts.insert(posts.end(), p.begin(), p.end()); },
        [&deleted](std::vector<std::string> ids) {
            deleted.insert(deleted.end(), ids.begin(), ids.end());
        },
        [] { return true; }};
    const auto out = source.stream(http, {}, sink);
    ASSERT_EQ(posts.size(), 2u);
    EXPECT_EQ(posts[1].text, "hello, edited");
    EXPECT_EQ(deleted, (std::vector<std::string>{"mastodon:m.example:499"}));
    EXPECT_NE(out.error.find("the stream ended after 3 events; polling until it is back"),
              std::string::npos);
    EXPECT_EQ(http.requests[0], "https://m.example/api/v1/streaming/hashtag?tag=OpenCamp");
    // The next catch-up poll continues after the newest streamed post.
    EXPECT_EQ(source.requestUrl("OpenCamp"),
              "https://m.example/api/v1/timelines/tag/OpenCamp?limit=40&min_id=501");
}

TEST(MastodonStream, OnlyWithATokenAndOneHashtag) {
    MastodonSource::Settings s;
    s.server = "https://m.example";
    s.hashtags = {"OpenCamp"};
    EXPECT_FALSE(MastodonSource(s).canStream()); // 4.2+ streams need a user token
    s.token = "t";
    EXPECT_TRUE(MastodonSource(s).canStream());
    s.hashtags.push_back("Second");
    EXPECT_FALSE(MastodonSource(s).canStream());
}

TEST(MastodonStream, OverRealHttpWithFallbackToPolling) {
    httplib::Server server;
    server.set_keep_alive_timeout(1);
    std::atomic<int> streams{0}, polls{0};
    server.Get("/api/v1/timelines/tag/OpenCamp",
               [&](const httplib::Request&, httplib::Response& res) {
                   ++polls;
                   res.set_content("[" + statusJson("499", "to be deleted") + "," +
                                       statusJson("498", "stays") + "]",
                                   "application/json");
               });
    server.Get("/api/v1/streaming/hashtag", [&](const httplib::Request& req,
                                                httplib::Response& res) {
        ++streams;
        if (req.get_header_value("Authorization") != "Bearer user-token") {
            res.status = 401;
            return;
        }
        res.set_chunked_content_provider("text/event-stream", [](size_t offset,
                                                                 httplib::DataSink& sink) {
            if (offset > 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                sink.done(); // the server hangs up after one batch
                return true;
            }
            const std::string batch = ":)\n\nevent: update\ndata: " + statusJson("500", "live!") +
                                      "\n\nevent: delete\ndata: 499\n\n";
            return sink.write(batch.data(), batch.size());
        });
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    std::thread thread([&] { server.listen_after_bind(); });
    MastodonSource::Settings s;
    s.server = "http://127.0.0.1:" + std::to_string(port);
    s.hashtags = {"OpenCamp"};
    s.token = "user-token";
    PostStore store;
    FetchWorker worker(
        {std::make_shared<MastodonSource>(s)},
        [] { return std::make_unique<CurlHttpClient>("kiosk-test"); }, {},
        [&store](std::vector<Post> p) { store.add(std::move(p)); },
        [] { return UnixTime(std::time(nullptr)); });
    worker.onDeleted([&store](std::vector<std::string> ids) { store.remove(ids); });
    worker.start();
    for (int i = 0; i < 300 && streams < 1; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (int i = 0; i < 300 && worker.health()[0].lastError.empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    worker.stop();
    server.stop();
    thread.join();
    std::vector<std::string> ids;
    for (const auto& p : *store.snapshot()) {
        ids.push_back(p.id);
    }
    const std::string prefix = "mastodon:127.0.0.1:";
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::string>{prefix + "498", prefix + "500"})); // 499 deleted
    EXPECT_GE(polls, 1);                                                        // caught up first
    EXPECT_EQ(streams, 1);
    EXPECT_NE(worker.health()[0].lastError.find("the stream ended"), std::string::npos)
        << worker.health()[0].lastError;
}

} // namespace
} // namespace kiosk
