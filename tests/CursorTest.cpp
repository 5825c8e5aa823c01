// Cursors that cannot be poisoned: records dated ahead of the clock and ids that stand for a
// time ahead of it are skipped with the URL and never move X's since_id, Bluesky's mark or the
// wall's order; a Mastodon min_id that went past the server's timeline is found by the periodic
// check, reported as stalled and mended without a restart.
#include "kiosk/base/Time.h"
#include "kiosk/sources/BlueskySource.h"
#include "kiosk/sources/Mastodon.h"
#include "kiosk/sources/SourceHealth.h"
#include "kiosk/sources/WordPress.h"
#include "kiosk/sources/XPosts.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kiosk {
namespace {

using nlohmann::json;
using test::FakeHttpClient;

constexpr UnixTime kNow = 1796000000; // 2026-11-30T08:53:20Z

HttpResponse jsonAnswer(const std::string& body) {
    HttpResponse r;
    r.status = 200;
    r.body = body;
    r.headers["content-type"] = "application/json";
    return r;
}

std::string queryValue(const std::string& url, const std::string& key) {
    const auto at = url.find("&" + key + "=");
    if (at == std::string::npos) {
        return {};
    }
    const auto start = at + key.size() + 2;
    return url.substr(start, url.find('&', start) - start);
}

// An older Mastodon server numbering its statuses 1, 2, 3 (short ids), answering min_id as
// Mastodon does: the statuses after it, newest first.
struct ShortIdServer {
    std::vector<json> timeline; // oldest first

    void add(int id, UnixTime createdAt) {
        const std::string sid = std::to_string(id);
        timeline.push_back(
            {{"id", sid},
             {"created_at", formatIsoTime(createdAt)},
             {"visibility", "public"},
             {"url", "https://quay.example/@ines/" + sid},
             {"content", "<p>Ferry timetable update " + sid + " #QuayCamp</p>"},
             {"account",
              {{"id", "12"}, {"username", "ines"}, {"acct", "ines"}, {"display_name", "Inês"}}}});
    }
    HttpResponse answer(const HttpRequest& r) const {
        const std::string minId = queryValue(r.url, "min_id");
        json page = json::array();
        for (auto it = timeline.rbegin(); it != timeline.rend(); ++it) {
            if (minId.empty() || numericIdNewer((*it)["id"].get<std::string>(), minId)) {
                page.push_back(*it);
            }
        }
        return jsonAnswer(page.dump());
    }
};

MastodonSource::Settings quaySettings() {
    MastodonSource::Settings s;
    s.server = "https://quay.example";
    s.hashtags = {"QuayCamp"};
    return s;
}

std::vector<std::string> texts(const std::vector<Post>& posts) {
    std::vector<std::string> out;
    for (const auto& p : posts) {
        out.push_back(p.text);
    }
    return out;
}

TEST(Cursor, AMastodonMinIdPastTheTimelineIsFoundReportedAndMended) {
    ShortIdServer server;
    server.add(101, kNow - 900);
    server.add(102, kNow - 600);
    bool proxyGlitch = false;
    FakeHttpClient http;
    http.onJson("https://quay.example/api/v2/instance", 200, "{}");
    http.on("https://quay.example/api/v1/timelines/tag/", [&](const HttpRequest& r) {
        if (!proxyGlitch) {
            return server.answer(r);
        }
        // Once, a caching proxy answered with a status from another server's id space: a
        // snowflake id from an hour ago, plausible in itself, far above this server's ids.
        proxyGlitch = false;
        const std::string foreign = std::to_string(((kNow - 3600) * 1000ULL) << 16);
        json status = server.timeline.back();
        status["id"] = foreign;
        status["url"] = "https://elsewhere.example/@ines/" + foreign;
        status["created_at"] = formatIsoTime(kNow - 300);
        return jsonAnswer(json::array({status}).dump());
    });
    MastodonSource source(quaySettings());
    PollSettings settings;
    settings.now = kNow;
    ASSERT_EQ(source.poll(http, settings).posts.size(), 2u);

    proxyGlitch = true;
    settings.now = kNow + 30;
    ASSERT_EQ(source.poll(http, settings).posts.size(), 1u);
    EXPECT_NE(http.requests.back().find("min_id=102"), std::string::npos);

    // New posts come; the polls succeed and find nothing: min_id is past all of them.
    server.add(103, kNow + 60);
    server.add(104, kNow + 90);
    settings.now = kNow + 120;
    auto quiet = source.poll(http, settings);
    EXPECT_TRUE(quiet.posts.empty());
    EXPECT_EQ(quiet.error, "");
    EXPECT_EQ(quiet.warning, "") << "no check yet: the first comes ten minutes after the start";

    // Ten minutes after the first poll the check reads the newest page without min_id.
    settings.now = kNow + MastodonSource::kCursorCheckSeconds;
    auto checked = source.poll(http, settings);
    EXPECT_EQ(checked.error, "");
    EXPECT_EQ(texts(checked.posts),
              (std::vector<std::string>{"Ferry timetable update 104 #QuayCamp",
                                        "Ferry timetable update 103 #QuayCamp"}));
    EXPECT_NE(checked.warning.find("stalled: #QuayCamp"), std::string::npos) << checked.warning;
    EXPECT_NE(checked.warning.find("2 newer posts"), std::string::npos) << checked.warning;
    SourceHealth health;
    health.label = source.label();
    health.ok = true;
    health.lastAttempt = settings.now;
    health.warning = checked.warning;
    EXPECT_NE(describeHealth(health, settings.now).find("ok, 0 posts; stalled: #QuayCamp"),
              std::string::npos);

    // It reads on from the server's newest post: the next new one shows at the next poll.
    server.add(105, settings.now + 10);
    settings.now += 30;
    auto after = source.poll(http, settings);
    EXPECT_NE(http.requests.back().find("min_id=104"), std::string::npos) << http.requests.back();
    EXPECT_EQ(texts(after.posts),
              (std::vector<std::string>{"Ferry timetable update 105 #QuayCamp"}));
    EXPECT_NE(after.warning, "") << "the finding stays on the control page until a clean check";

    // The next check finds nothing wrong and the warning goes.
    settings.now = kNow + 2 * MastodonSource::kCursorCheckSeconds;
    EXPECT_EQ(source.poll(http, settings).warning, "");
}

TEST(Cursor, ADeletedNewestPostIsNotAStall) {
    ShortIdServer server;
    server.add(201, kNow - 300);
    server.add(202, kNow - 200);
    FakeHttpClient http;
    http.onJson("https://quay.example/api/v2/instance", 200, "{}");
    http.on("https://quay.example/api/v1/timelines/tag/",
            [&](const HttpRequest& r) { return server.answer(r); });
    MastodonSource source(quaySettings());
    PollSettings settings;
    settings.now = kNow;
    ASSERT_EQ(source.poll(http, settings).posts.size(), 2u);
    server.timeline.pop_back(); // its author deleted 202: the server's newest is now 201
    settings.now = kNow + MastodonSource::kCursorCheckSeconds;
    const auto out = source.poll(http, settings);
    EXPECT_EQ(out.warning, "");
    EXPECT_TRUE(out.posts.empty());
}

// X snowflake: milliseconds since X's epoch above 22 bits of machine and sequence.
std::string xId(UnixTime t, int sequence) {
    return std::to_string(
        ((static_cast<unsigned long long>(t) * 1000ULL - 1288834974657ULL) << 22) +
        static_cast<unsigned long long>(sequence));
}

json xPost(const std::string& id, UnixTime createdAt) {
    return {{"id", id},
            {"created_at", formatIsoTime(createdAt)},
            {"author_id", "77"},
            {"text", "Lightning talks start in hall B #QuayCamp (" + id + ")"},
            {"edit_history_tweet_ids", {id}}};
}

std::string xPage(const std::vector<json>& posts) {
    json data = json::array();
    for (const auto& p : posts) {
        data.push_back(p);
    }
    return json{{"data", data},
                {"includes", {{"users", {{{"id", "77"}, {"name", "Quay"}, {"username", "quay"}}}}}},
                {"meta", {{"newest_id", posts.front()["id"]}, {"result_count", posts.size()}}}}
        .dump();
}

TEST(Cursor, AnXIdFromTheFutureNeitherShowsNorBecomesSinceId) {
    const std::string first = xId(kNow - 60, 1), odd = xId(kNow + 30 * 86400, 2),
                      ordinary = xId(kNow - 20, 3), later = xId(kNow + 40, 4);
    std::vector<std::string> pages = {xPage({xPost(first, kNow - 60)}),
                                      // newest_id is the odd one: it sorts first
                                      xPage({xPost(odd, kNow - 30), xPost(ordinary, kNow - 20)}),
                                      xPage({xPost(later, kNow + 40)})};
    std::size_t served = 0;
    FakeHttpClient http;
    http.on("https://api.x.example/2/tweets/search/recent", [&](const HttpRequest&) {
        return jsonAnswer(pages[std::min(served++, pages.size() - 1)]);
    });
    XSource::Settings s;
    s.bearerToken = "AAAA";
    s.query = "#QuayCamp";
    s.apiBase = "https://api.x.example";
    XSource source(s);
    PollSettings settings;
    settings.now = kNow;
    ASSERT_EQ(source.poll(http, settings).posts.size(), 1u);
    settings.now = kNow + 30;
    const auto second = source.poll(http, settings);
    ASSERT_EQ(second.posts.size(), 1u);
    EXPECT_EQ(second.posts[0].id, "x:x.com:" + ordinary);
    EXPECT_EQ(second.skippedRecords, 1);
    settings.now = kNow + 60;
    const auto third = source.poll(http, settings);
    EXPECT_EQ(queryValue(http.requests.back(), "since_id"), ordinary);
    ASSERT_EQ(third.posts.size(), 1u) << "the next poll still finds the new post";
}

TEST(Cursor, AWordPressCommentDatedNextYearIsSkippedTheOthersShow) {
    json comments = json::parse(test::readFile(test::fixture("wordpress/comments_post17.json")));
    FakeHttpClient http;
    http.on("https://camp.example.org/wp-json/wp/v2/comments",
            [&](const HttpRequest&) { return jsonAnswer(comments.dump()); });
    http.onJson("https://camp.example.org/wp-json/wp/v2/posts/17", 200,
                R"({"id":17,"title":{"rendered":"Program is out"}})");
    WordPressSource::Settings s;
    s.site = "https://camp.example.org";
    s.postIds = {17};
    PollSettings settings;
    settings.now = kNow;
    const auto before = WordPressSource(s).poll(http, settings); // the fixture as recorded
    ASSERT_GE(before.posts.size(), 2u);
    comments[0]["date_gmt"] = "2027-11-30T10:00:00";
    const auto out = WordPressSource(s).poll(http, settings);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.posts.size(), before.posts.size() - 1);
    EXPECT_EQ(out.skippedRecords, before.skippedRecords + 1);
    for (const auto& p : out.posts) {
        EXPECT_LE(p.createdAt, kNow);
    }
}

TEST(Cursor, ABlueskyPostDatedAheadIsSkipped) {
    json search = json::parse(test::readFile(test::fixture("bluesky/search_posts.json")));
    FakeHttpClient http;
    http.on("https://public.api.bsky.app/xrpc/app.bsky.feed.searchPosts",
            [&](const HttpRequest&) { return jsonAnswer(search.dump()); });
    BlueskySource::Settings s;
    s.hashtags = {"OpenCamp"};
    PollSettings settings;
    settings.now = kNow;
    const auto before = BlueskySource(s).poll(http, settings);
    ASSERT_GE(before.posts.size(), 2u);
    search["posts"][0]["record"]["createdAt"] = "2027-01-01T00:00:00.000Z";
    search["posts"][0]["indexedAt"] = "2027-01-01T00:00:01.000Z";
    const auto out = BlueskySource(s).poll(http, settings);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.posts.size(), before.posts.size() - 1);
    EXPECT_EQ(out.skippedRecords, before.skippedRecords + 1);
}

} // namespace
} // namespace kiosk
