// Mastodon: the parser on a recorded-format timeline page, and the polling source's requests
// (min_id cursor, catch-up after a burst, token, errors) through a fake HttpClient.
#include "kiosk/sources/Mastodon.h"
#include "kiosk/base/Time.h"
#include "kiosk/sources/SourceRegistry.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kiosk {
namespace {

using test::FakeHttpClient;

const Post* byId(const std::vector<Post>& posts, const std::string& id) {
    for (const auto& p : posts) {
        if (p.id == id) {
            return &p;
        }
    }
    return nullptr;
}

class MastodonParse : public ::testing::Test {
protected:
    void SetUp() override {
        auto parsed =
            parseMastodon(test::readFile(test::fixture("mastodon/tag_timeline_mixed.json")),
                          {"fosstodon.example"});
        ASSERT_TRUE(parsed.ok()) << parsed.error();
        out = std::move(parsed.value());
    }
    ParseOutput out;
};

TEST_F(MastodonParse, KeepsPublicPostsAndSkipsBrokenRecords) {
    // 8 records: 1 ordinary, 1 boost, private and direct (dropped silently), 1 reply with CW,
    // 1 without an id and 1 string (both skipped with a message), 1 from an old server.
    EXPECT_EQ(out.posts.size(), 4u);
    ASSERT_EQ(out.skipped.size(), 2u);
    EXPECT_NE(out.skipped[0].find("status [5]"), std::string::npos);
    EXPECT_NE(out.skipped[0].find("no id"), std::string::npos);
    EXPECT_NE(out.skipped[1].find("status [7]"), std::string::npos);
    EXPECT_EQ(byId(out.posts, "mastodon:fosstodon.example:113900000000000103"), nullptr);
    EXPECT_EQ(byId(out.posts, "mastodon:fosstodon.example:113900000000000104"), nullptr);
}

TEST_F(MastodonParse, OrdinaryStatus) {
    const Post* p = byId(out.posts, "mastodon:fosstodon.example:113900000000000101");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->source, "mastodon");
    EXPECT_EQ(p->url, "https://fosstodon.example/@greta/113900000000000101");
    EXPECT_EQ(formatIsoTime(p->createdAt), "2026-03-14T09:30:12Z");
    EXPECT_EQ(p->author.name, "Greta Lind");
    EXPECT_EQ(p->author.handle, "@greta@fosstodon.example"); // local acct qualified
    EXPECT_EQ(p->author.avatar, "https://cdn.fosstodon.example/accounts/avatars/greta.png");
    EXPECT_EQ(p->text, "Talk slides are up & the recording follows: slides.example.net/greta/"
                       "keyno…\nThanks @sven for the questions! #OpenCamp");
    EXPECT_EQ(p->links,
              (std::vector<std::string>{"https://slides.example.net/greta/keynote-2026"}));
    EXPECT_EQ(p->hashtags, (std::vector<std::string>{"opencamp"}));
    EXPECT_EQ(p->mentions, (std::vector<std::string>{"sven@other.example"}));
    EXPECT_EQ(p->lang, "en");
    EXPECT_FALSE(p->sensitive);
    EXPECT_FALSE(p->isReply);
    EXPECT_FALSE(p->isRepost);
}

TEST_F(MastodonParse, BoostUnwrapsToTheInnerStatus) {
    const Post* p = byId(out.posts, "mastodon:fosstodon.example:113899999999999050");
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(p->isRepost);
    EXPECT_EQ(p->author.handle, "@anke@kaffee.example");
    EXPECT_EQ(p->author.name, "Anke  :coffee_cup:"); // zero-width space removed
    EXPECT_EQ(p->author.avatar,
              "https://cdn.fosstodon.example/cache/accounts/avatars/anke_static.png");
    EXPECT_EQ(p->text, "Frühstück im Foyer bis 9:45 ☕ #OpenCamp");
    EXPECT_EQ(p->url, "https://kaffee.example/@anke/113899999999999050");
    ASSERT_EQ(p->customEmoji.size(), 1u);
    EXPECT_EQ(p->customEmoji[0].shortcode, "coffee_cup");
    EXPECT_EQ(p->customEmoji[0].url, "https://cdn.fosstodon.example/emoji/coffee_cup.png");
}

TEST_F(MastodonParse, ReplyWithContentWarningAndMedia) {
    const Post* p = byId(out.posts, "mastodon:fosstodon.example:113900000000000105");
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(p->isReply);
    EXPECT_EQ(p->parentId, "mastodon:fosstodon.example:113900000000000101");
    EXPECT_TRUE(p->sensitive);
    EXPECT_EQ(p->spoiler, "Spoilers for the closing quiz");
    EXPECT_EQ(p->author.name, "k_2"); // empty display name falls back to the username
    ASSERT_EQ(p->media.size(), 2u);
    EXPECT_EQ(p->media[0].kind, "image");
    EXPECT_EQ(p->media[0].alt, "A whiteboard with the number 42 circled twice");
    EXPECT_EQ(p->media[0].width, 2048);
    EXPECT_EQ(p->media[0].height, 1536);
    // Still processing: no url yet, the preview stands in.
    EXPECT_EQ(p->media[1].url, "https://cdn.fosstodon.example/media/small/clip.png");
    EXPECT_EQ(p->media[1].alt, "");
}

TEST_F(MastodonParse, OldServerWithIntegerIdsAndRelativeAvatar) {
    const Post* p = byId(out.posts, "mastodon:fosstodon.example:4711");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->text, "古いサーバーからの投稿です\n二行目");
    EXPECT_EQ(p->author.name, "yuko");
    EXPECT_EQ(p->author.avatar, ""); // "/avatars/original/missing.png" is not a web URL
}

struct BadBody {
    const char* name;
    const char* body;
    const char* error;
};
// Test names show the row, not its bytes.
void PrintTo(const BadBody& row, std::ostream* os) {
    *os << row.name;
}

class MastodonBadBodies : public ::testing::TestWithParam<BadBody> {};

TEST_P(MastodonBadBodies, FailWithAClearMessage) {
    const auto parsed = parseMastodon(GetParam().body, {"m.example"});
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().find(GetParam().error), std::string::npos) << parsed.error();
}

INSTANTIATE_TEST_SUITE_P(
    Table, MastodonBadBodies,
    ::testing::Values(BadBody{"html_page", "<html><body>502 Bad Gateway</body></html>",
                              "not valid JSON"},
                      BadBody{"truncated", "[{\"id\": \"1\", ", "not valid JSON"},
                      BadBody{"api_error", "{\"error\":\"The access token is invalid\"}",
                              "server said: \"The access token is invalid\""},
                      BadBody{"number", "42", "expected a JSON list of statuses, got number"},
                      BadBody{"other_object", "{\"uri\": \"m.example\", \"title\": \"x\"}",
                              "an object that is not a status"}),
    [](const auto& row) { return std::string(row.param.name); });

std::string statusJson(const std::string& id) {
    nlohmann::json s = {{"id", id},
                        {"created_at", "2026-03-14T10:00:00Z"},
                        {"visibility", "public"},
                        {"content", "<p>post " + id + "</p>"},
                        {"account", {{"username", "u"}, {"acct", "u"}, {"display_name", "U"}}}};
    return s.dump();
}

std::string page(int from, int count) {
    // Newest first, as the API returns it.
    std::string body = "[";
    for (int i = 0; i < count; ++i) {
        body += (i ? "," : "") + statusJson(std::to_string(from + count - 1 - i));
    }
    return body + "]";
}

MastodonSource makeSource(int pageLimit = 40) {
    MastodonSource::Settings s;
    s.server = "https://m.example/";
    s.hashtags = {"Camp", "Café"};
    s.pageLimit = pageLimit;
    return MastodonSource(s);
}

TEST(MastodonSource, FirstPollThenMinIdPerHashtag) {
    FakeHttpClient http;
    http.onJson("https://m.example/api/v1/timelines/tag/Camp", 200, page(100, 3));
    http.onJson("https://m.example/api/v1/timelines/tag/Caf%C3%A9", 200, page(200, 2));
    auto source = makeSource();
    auto first = source.poll(http, {});
    EXPECT_EQ(first.error, "");
    EXPECT_EQ(first.posts.size(), 5u);
    EXPECT_EQ(http.requests, (std::vector<std::string>{
                                 "https://m.example/api/v2/instance",
                                 "https://m.example/api/v1/timelines/tag/Camp?limit=40",
                                 "https://m.example/api/v1/timelines/tag/Caf%C3%A9?limit=40"}));
    http.requests.clear();
    source.poll(http, {});
    EXPECT_EQ(http.requests,
              (std::vector<std::string>{
                  "https://m.example/api/v1/timelines/tag/Camp?limit=40&min_id=102",
                  "https://m.example/api/v1/timelines/tag/Caf%C3%A9?limit=40&min_id=201"}));
}

TEST(MastodonSource, CatchesUpPageByPageAfterABurst) {
    FakeHttpClient http;
    // min_id pages forward: each full page is followed by a request from its newest id.
    http.onJson("https://m.example/api/v1/timelines/tag/Camp?limit=3&min_id=9", 200, page(10, 3));
    http.onJson("https://m.example/api/v1/timelines/tag/Camp?limit=3&min_id=12", 200, page(13, 3));
    http.onJson("https://m.example/api/v1/timelines/tag/Camp?limit=3&min_id=15", 200, page(16, 1));
    http.onJson("https://m.example/api/v1/timelines/tag/Camp?limit=3", 200, page(7, 3));
    http.onJson("https://m.example/api/v1/timelines/tag/Caf", 200, "[]");
    auto source = makeSource(3);
    source.poll(http, {}); // newest is now 9
    http.requests.clear();
    const auto out = source.poll(http, {});
    EXPECT_EQ(out.posts.size(), 7u); // 10..16, no gap
    EXPECT_EQ(out.requests, 4);
    EXPECT_EQ(http.requests[0], "https://m.example/api/v1/timelines/tag/Camp?limit=3&min_id=9");
    EXPECT_EQ(http.requests[2], "https://m.example/api/v1/timelines/tag/Camp?limit=3&min_id=15");
}

TEST(MastodonSource, ErrorsNameTheUrlAndStatus) {
    FakeHttpClient http;
    http.onJson("https://m.example/api/v1/timelines/tag/Camp", 401,
                R"({"error":"This API requires an authenticated user"})");
    http.onJson("https://m.example/api/v1/timelines/tag/Caf", 200, page(1, 1));
    auto source = makeSource();
    const auto out = source.poll(http, {});
    EXPECT_EQ(out.error, "https://m.example/api/v1/timelines/tag/Camp?limit=40: HTTP 401 (the "
                         "server wants a valid access token): This API requires an "
                         "authenticated user");
    EXPECT_EQ(out.posts.size(), 1u); // the other hashtag still loaded
}

TEST(MastodonSource, SendsTheTokenAsBearer) {
    FakeHttpClient http;
    std::string auth;
    http.on("https://m.example/", [&auth](const HttpRequest& r) {
        for (const auto& [name, value] : r.headers) {
            if (name == "Authorization") {
                auth = value;
            }
        }
        HttpResponse resp;
        resp.status = 200;
        resp.body = "[]";
        return resp;
    });
    MastodonSource::Settings s;
    s.server = "https://m.example";
    s.hashtags = {"Camp"};
    s.token = "sekrit";
    MastodonSource(s).poll(http, {});
    EXPECT_EQ(auth, "Bearer sekrit");
}

std::string instanceWith(const std::string& local, const std::string& remote) {
    return R"({"domain": "m.example", "configuration": {"timelines_access": {
        "live_feeds": {"local": "disabled", "remote": "disabled"},
        "hashtag_feeds": {"local": ")" +
           local + R"(", "remote": ")" + remote + R"("}}}})";
}

TEST(MastodonSource, ReportsAServerThatDisablesHashtagFeeds) {
    FakeHttpClient http;
    http.onJson("https://m.example/api/v2/instance", 200, instanceWith("disabled", "disabled"));
    http.onJson("https://m.example/api/v1/timelines/tag/", 200, "[]");
    auto source = makeSource();
    auto out = source.poll(http, {});
    EXPECT_EQ(out.error, "m.example has switched hashtag timelines off; no posts can come from "
                         "this server");
    EXPECT_EQ(http.requests.size(), 1u); // no pointless timeline requests
    out = source.poll(http, {});
    EXPECT_EQ(http.requests.size(), 1u); // and the instance is not asked again
    EXPECT_FALSE(out.error.empty());
}

TEST(MastodonSource, AsksForATokenWhenFeedsNeedALogin) {
    FakeHttpClient http;
    http.onJson("https://m.example/api/v2/instance", 200,
                instanceWith("authenticated", "authenticated"));
    auto source = makeSource();
    EXPECT_NE(source.poll(http, {}).error.find("logged-in users only; add a \"token\""),
              std::string::npos);
}

TEST(MastodonSource, PublicFeedsArePolled) {
    FakeHttpClient http;
    http.onJson("https://m.example/api/v2/instance", 200, instanceWith("public", "public"));
    http.onJson("https://m.example/api/v1/timelines/tag/", 200, page(1, 2));
    auto source = makeSource();
    const auto out = source.poll(http, {});
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.posts.size(), 4u); // two per hashtag
}

TEST(MastodonIds, SortByLengthThenLexically) {
    EXPECT_TRUE(numericIdNewer("100", "99"));
    EXPECT_TRUE(numericIdNewer("113900000000000102", "113900000000000101"));
    EXPECT_FALSE(numericIdNewer("99", "100"));
}

TEST(Registry, KnowsBothAdapters) {
    ASSERT_NE(findSourceType("mastodon"), nullptr);
    ASSERT_NE(findSourceType("wordpress"), nullptr);
    EXPECT_EQ(findSourceType("myspace"), nullptr);
    EXPECT_EQ(formatNames(), "mastodon, wordpress, bluesky, wpcom, rss, atom, jsonfeed, x");
}

} // namespace
} // namespace kiosk

namespace kiosk {
namespace {

// An author whose bio says #nowall (Mastodon renders it as a hashtag link in `note`).
TEST(MastodonConsent, AnAuthorWhoseBioSaysNowallIsMarked) {
    const std::string body = R"([{
      "id": "113900000000000901", "created_at": "2026-07-14T10:00:00.000Z",
      "visibility": "public", "content": "<p>Lovely sunset at the harbour</p>",
      "url": "https://m.example/@quiet/113900000000000901", "media_attachments": [],
      "account": {"id": "1", "username": "quiet", "acct": "quiet", "display_name": "Quiet One",
        "url": "https://m.example/@quiet", "bot": false,
        "note": "<p>Photographer. Please no screens: <a href=\"https://m.example/tags/NoWall\" class=\"mention hashtag\" rel=\"tag\">#<span>NoWall</span></a></p>"}
    }, {
      "id": "113900000000000902", "created_at": "2026-07-14T10:01:00.000Z",
      "visibility": "public", "content": "<p>New #nowallpaper for my phone</p>",
      "url": "https://m.example/@ana/113900000000000902", "media_attachments": [],
      "account": {"id": "2", "username": "ana", "acct": "ana", "display_name": "Ana",
        "url": "https://m.example/@ana", "note": "<p>Loves #nowallpaper designs</p>"}
    }])";
    const auto parsed = parseMastodon(body, {"m.example"});
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    ASSERT_EQ(parsed->posts.size(), 2u);
    EXPECT_TRUE(parsed->posts[0].author.noWall);
    EXPECT_FALSE(parsed->posts[1].author.noWall); // a longer tag is another tag
    // It survives the store's JSON round trip.
    EXPECT_TRUE(postFromJson(toJsonLine(parsed->posts[0]))->author.noWall);
}

TEST(MastodonConsent, OnlyTheWholeTagsCount) {
    EXPECT_TRUE(asksNotToBeOnWalls("#nobot"));
    EXPECT_TRUE(asksNotToBeOnWalls("Hi! #NoWall, thanks"));
    EXPECT_TRUE(asksNotToBeOnWalls("<p>#<span>nobot</span></p>"));
    EXPECT_FALSE(asksNotToBeOnWalls("nowall"));
    EXPECT_FALSE(asksNotToBeOnWalls("#nobotany"));
    EXPECT_FALSE(asksNotToBeOnWalls(""));
}

} // namespace
} // namespace kiosk

namespace kiosk {
namespace {

// A status as a Mastodon server sends it, its snowflake id made from `idTime` (seconds) and a
// sequence, dated `createdAt`.
nlohmann::json snowflakeStatus(UnixTime idTime, int sequence, UnixTime createdAt) {
    const unsigned long long id = ((unsigned long long)(idTime)*1000ULL << 16) + sequence;
    return {
        {"id", std::to_string(id)},
        {"created_at", formatIsoTime(createdAt)},
        {"visibility", "public"},
        {"url", "https://harbour.example/@ana/" + std::to_string(id)},
        {"content", "<p>Post " + std::to_string(sequence) + " from the pier #HarbourCamp</p>"},
        {"account", {{"id", "7"}, {"username", "ana"}, {"acct", "ana"}, {"display_name", "Ana"}}}};
}

TEST(MastodonSource, OneIdFromTheFutureCannotSilenceTheSource) {
    const UnixTime now = 1796000000; // 2026-11-30
    std::vector<nlohmann::json> pages = {
        nlohmann::json::array({snowflakeStatus(now - 60, 1, now - 60)}),
        // A proxy's id 15 days ahead, dated now; then an ordinary newer post.
        nlohmann::json::array({snowflakeStatus(now + 15 * 86400, 2, now - 30),
                               snowflakeStatus(now - 20, 3, now - 20)}),
        nlohmann::json::array({snowflakeStatus(now + 40, 4, now + 40)}),
        // Dated a day ahead, whatever its id says.
        nlohmann::json::array({snowflakeStatus(now + 86400, 5, now + 86400)}),
    };
    FakeHttpClient http;
    std::vector<std::string> urls;
    std::size_t served = 0;
    http.on("https://harbour.example/api/v1/timelines/tag/", [&](const HttpRequest& r) {
        urls.push_back(r.url);
        HttpResponse res;
        res.status = 200;
        res.body = pages[std::min(served++, pages.size() - 1)].dump();
        return res;
    });
    http.onJson("https://harbour.example/api/v2/instance", 200, "{}");
    MastodonSource::Settings s;
    s.server = "https://harbour.example";
    s.hashtags = {"HarbourCamp"};
    MastodonSource source(s);
    PollSettings settings;
    settings.now = now;
    auto first = source.poll(http, settings);
    ASSERT_EQ(first.posts.size(), 1u) << first.error;
    settings.now = now + 30;
    auto second = source.poll(http, settings);
    ASSERT_EQ(second.posts.size(), 1u) << "the ordinary post shows, the odd one is skipped";
    EXPECT_NE(second.posts[0].text.find("Post 3"), std::string::npos);
    EXPECT_EQ(second.skippedRecords, 1);
    settings.now = now + 60;
    auto third = source.poll(http, settings);
    ASSERT_EQ(third.posts.size(), 1u) << "the next poll still finds new posts";
    // The cursor the third poll asked with is post 3's id, not the future one.
    const std::string post3 = std::to_string(((unsigned long long)(now - 20) * 1000ULL << 16) + 3);
    EXPECT_NE(urls.back().find("min_id=" + post3), std::string::npos) << urls.back();
    settings.now = now + 90;
    auto fourth = source.poll(http, settings);
    EXPECT_TRUE(fourth.posts.empty());
    EXPECT_EQ(fourth.skippedRecords, 1);
}

TEST(MastodonSource, IdsOfOldServersAndLateFederationArePlausible) {
    const UnixTime now = 1796000000; // 2026-11-30
    EXPECT_EQ(implausibleMastodonId("4711", now - 60, now), "");
    // Federated late: an id from today for a post written yesterday.
    EXPECT_EQ(implausibleMastodonId(std::to_string((now * 1000ULL) << 16), now - 86400, now), "");
    const std::string twoWeeksAhead = std::to_string(((now + 14 * 86400) * 1000ULL) << 16);
    EXPECT_NE(implausibleMastodonId(twoWeeksAhead, now - 60, now), "");
    // Without a clock (a stream's fallback) the status's own date is the reference.
    EXPECT_NE(implausibleMastodonId(twoWeeksAhead, now - 60, 0), "");
    EXPECT_NE(implausibleMastodonId("4711", now + 3600, now), "");
    // A board whose clock is behind the day this code was written (no battery clock, no NTP
    // yet) judges no dates, or every post would be "in the future".
    EXPECT_EQ(futureDated(now, 1704067200), "");
    EXPECT_EQ(implausibleMastodonId("4711", now, 1704067200), "");
}

} // namespace
} // namespace kiosk
