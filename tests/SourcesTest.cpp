// The polling sources added for every network: Bluesky sessions (login once, refresh on
// expiry, tokens saved across restarts, 403 HTML explained), X since_id, WordPress.com URLs,
// and feeds' conditional GET; all through a fake HttpClient.
#include "kiosk/config/Config.h"
#include "kiosk/sources/BlueskySource.h"
#include "kiosk/sources/FeedSource.h"
#include "kiosk/sources/Feeds.h"
#include "kiosk/sources/SourceRegistry.h"
#include "kiosk/sources/WordPressCom.h"
#include "kiosk/sources/XPosts.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace kiosk {
namespace {

using test::FakeHttpClient;

std::string headerOf(const HttpRequest& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

HttpResponse json(int status, const std::string& body) {
    HttpResponse r;
    r.status = status;
    r.body = body;
    r.headers["content-type"] = "application/json";
    return r;
}

const std::string kSearch = test::readFile(test::fixture("bluesky/search_posts.json"));

BlueskySource::Settings blueskySettings(const std::string& sessionFile) {
    BlueskySource::Settings s;
    s.identifier = "wall.example.social";
    s.appPassword = "abcd-efgh-ijkl-mnop";
    s.hashtags = {"OpenCamp"};
    s.service = "https://pds.example";
    s.sessionFile = sessionFile;
    return s;
}

// A PDS that hands out numbered tokens and expires the first access token once.
struct FakePds {
    FakeHttpClient http;
    int logins = 0, refreshes = 0, searches = 0;
    std::string lastSearchAuth;
    bool expireFirstToken = false;

    FakePds() {
        http.on("https://pds.example/xrpc/com.atproto.server.createSession", [this](
                                                                                 const HttpRequest&
                                                                                     r) {
            ++logins;
            const auto body = nlohmann::json::parse(r.body);
            if (r.method != "POST" || body["password"] != "abcd-efgh-ijkl-mnop") {
                return json(
                    401,
                    R"({"error":"AuthenticationRequired","message":"Invalid identifier or password"})");
            }
            return json(
                200,
                R"({"did":"did:plc:wall","handle":"wall.example.social","accessJwt":"access-)" +
                    std::to_string(logins) + R"(","refreshJwt":"refresh-)" +
                    std::to_string(logins) + R"("})");
        });
        http.on("https://pds.example/xrpc/com.atproto.server.refreshSession",
                [this](const HttpRequest& r) {
                    ++refreshes;
                    if (headerOf(r, "Authorization").rfind("Bearer refresh-", 0) != 0) {
                        return json(400, R"({"error":"InvalidToken","message":"bad"})");
                    }
                    return json(200, R"({"did":"did:plc:wall","accessJwt":"access-r)" +
                                         std::to_string(refreshes) +
                                         R"(","refreshJwt":"refresh-r)" +
                                         std::to_string(refreshes) + R"("})");
                });
        http.on("https://pds.example/xrpc/app.bsky.feed.searchPosts", [this](const HttpRequest& r) {
            ++searches;
            lastSearchAuth = headerOf(r, "Authorization");
            if (expireFirstToken && lastSearchAuth == "Bearer access-1") {
                return json(400, R"({"error":"ExpiredToken","message":"Token has expired"})");
            }
            return json(200, kSearch);
        });
    }
};

std::string tempSessionFile(const std::string& name) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("kiosk-bsky-" + std::to_string(::getpid()) + "-" + name + ".json");
    std::filesystem::remove(path);
    return path.string();
}

TEST(BlueskySource, LogsInOnceAndSearchesWithTheToken) {
    FakePds pds;
    BlueskySource source(blueskySettings(tempSessionFile("once")));
    PollSettings settings;
    for (int i = 0; i < 3; ++i) {
        settings.now = 1781343000 + i * 60;
        const auto out = source.poll(pds.http, settings);
        EXPECT_EQ(out.error, "");
        EXPECT_EQ(out.posts.size(), 3u);
    }
    EXPECT_EQ(pds.logins, 1); // never one login per poll
    EXPECT_EQ(pds.searches, 3);
    EXPECT_EQ(pds.lastSearchAuth, "Bearer access-1");
    EXPECT_EQ(pds.http.requests[1], "https://pds.example/xrpc/app.bsky.feed.searchPosts?q=%23"
                                    "OpenCamp&sort=latest&limit=50");
}

TEST(BlueskySource, RefreshesAnExpiredTokenAndRetries) {
    FakePds pds;
    pds.expireFirstToken = true;
    BlueskySource source(blueskySettings(tempSessionFile("refresh")));
    const auto out = source.poll(pds.http, {});
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.posts.size(), 3u);
    EXPECT_EQ(pds.logins, 1);
    EXPECT_EQ(pds.refreshes, 1);
    EXPECT_EQ(pds.lastSearchAuth, "Bearer access-r1");
}

TEST(BlueskySource, KeepsTokensAcrossRestarts) {
    const std::string file = tempSessionFile("restart");
    {
        FakePds pds;
        BlueskySource first(blueskySettings(file));
        first.poll(pds.http, {});
        EXPECT_EQ(pds.logins, 1);
    }
    ASSERT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::group_read,
              std::filesystem::perms::none); // tokens are not world-readable
    FakePds pds;
    BlueskySource second(blueskySettings(file));
    const auto out = second.poll(pds.http, {});
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(pds.logins, 0); // the saved session was used
    EXPECT_EQ(pds.lastSearchAuth, "Bearer access-1");
}

TEST(BlueskySource, TheSessionTravelsInTheSourceState) {
    FakePds pds;
    BlueskySource first(blueskySettings(""));
    first.poll(pds.http, {});
    const std::string state = first.saveState();
    EXPECT_NE(state.find("access-1"), std::string::npos);
    BlueskySource second(blueskySettings(""));
    second.loadState(state);
    second.poll(pds.http, {});
    EXPECT_EQ(pds.logins, 1); // the restored session was used, no second login
    BlueskySource other([] {
        auto s = blueskySettings("");
        s.identifier = "someone.else";
        return s;
    }());
    other.loadState(state); // another account's tokens are ignored
    EXPECT_EQ(other.saveState(), "");
}

TEST(BlueskySource, WrongPasswordIsNamedAndNotRetriedEveryPoll) {
    FakePds pds;
    auto settings = blueskySettings(tempSessionFile("wrong"));
    settings.appPassword = "wrong";
    BlueskySource source(settings);
    PollSettings poll;
    poll.now = 1781343000;
    auto out = source.poll(pds.http, poll);
    EXPECT_NE(out.error.find("Bluesky refused the login for wall.example.social: check the handle "
                             "and the app password"),
              std::string::npos)
        << out.error;
    poll.now += 60;
    out = source.poll(pds.http, poll);
    EXPECT_NE(out.error.find("waiting before logging in"), std::string::npos);
    EXPECT_EQ(pds.logins, 1); // createSession is rate limited per account
}

TEST(BlueskySource, AnonymousSearchBlockedByAnHtmlPageIsExplained) {
    FakeHttpClient http;
    http.on("https://public.api.bsky.app/", [](const HttpRequest&) {
        HttpResponse r;
        r.status = 403;
        r.headers["content-type"] = "text/html";
        r.body = "<html><head><title>403 Forbidden</title></head><body>Request forbidden by "
                 "administrative rules.</body></html>";
        return r;
    });
    BlueskySource::Settings s;
    s.hashtags = {"OpenCamp"};
    BlueskySource source(s);
    const auto out = source.poll(http, {});
    EXPECT_EQ(out.error.rfind("Bluesky search needs a logged-in account", 0), 0u) << out.error;
    EXPECT_EQ(source.label(), "bluesky #OpenCamp (anonymous)");
}

// A page of searchPosts: count posts by one author, indexed one minute apart, newest first.
std::string bskyPage(int newestMinute, int count, const std::string& cursor) {
    nlohmann::json posts = nlohmann::json::array();
    for (int i = 0; i < count; ++i) {
        const int minute = newestMinute - i;
        const auto two = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
        const std::string when =
            "2026-06-13T" + two(10 + minute / 60) + ":" + two(minute % 60) + ":00.000Z";
        const std::string rkey = "3m2burst" + std::to_string(minute);
        posts.push_back({{"uri", "at://did:plc:burst/app.bsky.feed.post/" + rkey},
                         {"cid", "bafyreiburst" + std::to_string(minute)},
                         {"author", {{"did", "did:plc:burst"}, {"handle", "quay.example.social"}}},
                         {"record",
                          {{"$type", "app.bsky.feed.post"},
                           {"createdAt", when},
                           {"text", "Boat race heat " + std::to_string(minute) + " #OpenCamp"}}},
                         {"indexedAt", when}});
    }
    nlohmann::json page = {{"posts", posts}};
    if (!cursor.empty()) {
        page["cursor"] = cursor;
    }
    return page.dump();
}

TEST(BlueskySource, ABurstIsReadWithTheCursorWhenLoggedIn) {
    FakePds pds; // logins; its search answer is replaced below
    bool failSecondPage = false;
    int newestMinute = 10;
    pds.http.on("https://pds.example/xrpc/app.bsky.feed.searchPosts", [&](const HttpRequest& r) {
        if (r.url.find("cursor=c2") != std::string::npos) {
            return failSecondPage ? json(502, R"({"error":"UpstreamFailure","message":"x"})")
                                  : json(200, bskyPage(newestMinute - 5, 5, "c3"));
        }
        if (r.url.find("cursor=c3") != std::string::npos) {
            return json(200, bskyPage(newestMinute - 10, 5, "c4")); // reaches the old ones
        }
        return json(200, bskyPage(newestMinute, 5, "c2"));
    });
    auto settings = blueskySettings("");
    settings.limit = 5;
    BlueskySource source(settings);
    auto out = source.poll(pds.http, {}); // the first poll: the newest page only
    EXPECT_EQ(out.posts.size(), 5u);
    EXPECT_EQ(out.requests, 1); // one search, although the answer has a cursor
    // Twelve more posts; the second page fails, so the next poll walks back again.
    newestMinute = 22;
    failSecondPage = true;
    out = source.poll(pds.http, {});
    EXPECT_NE(out.error, "");
    EXPECT_EQ(out.posts.size(), 5u);
    failSecondPage = false;
    out = source.poll(pds.http, {});
    EXPECT_EQ(out.error, "");
    ASSERT_EQ(out.posts.size(), 15u); // minutes 22 down to 8: every new post and a few known
    EXPECT_EQ(out.posts.back().text.find("Boat race heat 8"), 0u);
    EXPECT_NE(pds.http.requests.back().find("&cursor=c3"), std::string::npos);
    // Quiet again: a page with posts already seen stops the walk at once.
    const std::size_t asked = pds.http.requests.size();
    out = source.poll(pds.http, {});
    EXPECT_EQ(pds.http.requests.size(), asked + 1);
    // Where the walk stopped survives a restart with the session.
    BlueskySource restarted(settings);
    restarted.loadState(source.saveState());
    newestMinute = 30;
    out = restarted.poll(pds.http, {});
    EXPECT_EQ(out.posts.size(), 10u); // minutes 30 to 21: two pages, since 22 was seen
}

TEST(XSource, SendsTheBearerTokenAndFollowsSinceId) {
    FakeHttpClient http;
    std::string auth;
    http.on("https://api.x.example/2/tweets/search/recent", [&auth](const HttpRequest& r) {
        auth = headerOf(r, "Authorization");
        return json(200, test::readFile(test::fixture("x/search_recent.json")));
    });
    XSource::Settings s;
    s.bearerToken = "AAAA-token";
    s.query = "#OpenCamp -is:retweet";
    s.apiBase = "https://api.x.example";
    XSource source(s);
    auto out = source.poll(http, {});
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.posts.size(), 3u);
    EXPECT_EQ(auth, "Bearer AAAA-token");
    EXPECT_NE(http.requests[0].find("query=%23OpenCamp%20-is%3Aretweet&max_results=25"),
              std::string::npos);
    EXPECT_EQ(http.requests[0].find("since_id"), std::string::npos);
    source.poll(http, {});
    EXPECT_NE(http.requests[1].find("&since_id=1934567890123456789"), std::string::npos);
}

// One page of X recent search: posts with ids first..first-count+1 by one author, newest first.
std::string xPage(long long first, int count, const std::string& nextToken) {
    nlohmann::json data = nlohmann::json::array();
    for (int i = 0; i < count; ++i) {
        const std::string id = std::to_string(first - i);
        data.push_back({{"id", id},
                        {"created_at", "2026-06-13T11:00:00.000Z"},
                        {"author_id", "5150"},
                        {"text", "Queue for the sauna is long again #OpenCamp (" + id + ")"},
                        {"lang", "en"},
                        {"edit_history_tweet_ids", {id}}});
    }
    nlohmann::json meta = {{"newest_id", std::to_string(first)},
                           {"oldest_id", std::to_string(first - count + 1)},
                           {"result_count", count}};
    if (!nextToken.empty()) {
        meta["next_token"] = nextToken;
    }
    return nlohmann::json{
        {"data", data},
        {"includes",
         {{"users", {{{"id", "5150"}, {"name", "Sauna Sam"}, {"username", "saunasam"}}}}}},
        {"meta", meta}}
        .dump();
}

TEST(XSource, ABurstIsReadPageByPageAndSinceIdMovesOnlyWhenAllCame) {
    FakeHttpClient http;
    bool failSecondPage = false;
    http.on("https://api.x.example/2/tweets/search/recent", [&](const HttpRequest& r) {
        if (r.url.find("since_id") == std::string::npos) {
            return json(200, xPage(1000, 10, "b26v89c19zqg8o3fpds84gm0395pgmrfz7sqfvhfu6osd"));
        }
        if (r.url.find("next_token=p2") != std::string::npos) {
            return failSecondPage ? json(503, R"({"title":"Service Unavailable"})")
                                  : json(200, xPage(1013, 10, "p3"));
        }
        if (r.url.find("next_token=p3") != std::string::npos) {
            return json(200, xPage(1003, 3, ""));
        }
        return json(200, xPage(1023, 10, "p2")); // the newest page of the burst
    });
    XSource::Settings s;
    s.bearerToken = "AAAA-token";
    s.query = "#OpenCamp";
    s.apiBase = "https://api.x.example";
    s.maxResults = 10;
    XSource source(s);
    // The first poll reads one page although X offers more: the wall starts from now.
    auto out = source.poll(http, {});
    EXPECT_EQ(out.posts.size(), 10u);
    EXPECT_EQ(out.requests, 1);
    EXPECT_EQ(source.saveState(), "1000");
    // 23 posts came since: a failing second page keeps since_id, so nothing is skipped.
    failSecondPage = true;
    out = source.poll(http, {});
    EXPECT_NE(out.error, "");
    EXPECT_EQ(out.posts.size(), 10u);
    EXPECT_EQ(source.saveState(), "1000");
    failSecondPage = false;
    out = source.poll(http, {});
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.requests, 3);
    ASSERT_EQ(out.posts.size(), 23u);
    EXPECT_EQ(out.posts.front().id, "x:x.com:1023");
    EXPECT_EQ(out.posts.back().id, "x:x.com:1001");
    EXPECT_EQ(source.saveState(), "1023"); // meta.newest_id of the burst's first page
    EXPECT_NE(http.requests.back().find("since_id=1000&next_token=p3"), std::string::npos);
}

TEST(XSource, ConfigBuildsTheQueryFromHashtags) {
    const auto config = parseConfig(R"({"sources": [{"type": "x", "bearer_token": "t",
        "hashtags": ["OpenCamp", "#OC26"]}]})",
                                    "x.json");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_EQ(config->sources[0].label, "x (#OpenCamp OR #OC26) -is:retweet");
    EXPECT_EQ(config->sources[0].make()->pollInterval(), std::chrono::seconds(300));
    const auto tooFast = parseConfig(R"({"sources": [{"type": "x", "bearer_token": "t",
        "hashtags": ["a"], "poll_seconds": 5}]})",
                                     "x.json");
    ASSERT_FALSE(tooFast.ok());
    EXPECT_NE(tooFast.error().find("sources[0].poll_seconds: expected a number from 60"),
              std::string::npos);
}

TEST(WordPressComSource, RepliesPerPostAndSiteWide) {
    WordPressComSource::Settings s;
    s.site = "opencamp.example.blog";
    s.postIds = {12, 13};
    FakeHttpClient http;
    http.onJson("https://public-api.wordpress.com/rest/v1.1/sites/opencamp.example.blog/posts/12/",
                200, test::readFile(test::fixture("wpcom/post_replies.json")));
    http.onJson("https://public-api.wordpress.com/rest/v1.1/sites/opencamp.example.blog/posts/13/",
                403, R"({"error":"unauthorized","message":"User cannot view comments"})");
    WordPressComSource source(s);
    const auto out = source.poll(http, {});
    EXPECT_EQ(out.posts.size(), 2u); // post 12 loads although post 13 is refused
    EXPECT_NE(out.error.find("HTTP 403 (access forbidden): User cannot view comments"),
              std::string::npos)
        << out.error;
    EXPECT_EQ(http.requests[0], "https://public-api.wordpress.com/rest/v1.1/sites/"
                                "opencamp.example.blog/posts/12/replies/?number=100&order=DESC");
    s.postIds.clear();
    EXPECT_EQ(WordPressComSource(s).requestUrl(0),
              "https://public-api.wordpress.com/rest/v1.1/sites/opencamp.example.blog/comments/"
              "?number=100&order=DESC");
}

TEST(FeedSource, ConditionalGetMakesAnUnchangedFeedFree) {
    FakeHttpClient http;
    std::vector<std::pair<std::string, std::string>> validators;
    http.on("https://camp.example.org/feed/", [&validators](const HttpRequest& r) {
        validators.emplace_back(headerOf(r, "If-None-Match"), headerOf(r, "If-Modified-Since"));
        HttpResponse resp;
        if (headerOf(r, "If-None-Match") == "\"v1\"") {
            resp.status = 304;
            return resp;
        }
        resp.status = 200;
        resp.body = test::readFile(test::fixture("feeds/comments_rss2.xml"));
        resp.headers["etag"] = "\"v1\"";
        resp.headers["last-modified"] = "Sat, 13 Jun 2026 10:20:00 GMT";
        return resp;
    });
    FeedSource source("rss", parseRss, "https://camp.example.org/feed/", std::chrono::seconds(300));
    PollSettings settings;
    settings.now = 1781346600; // 10:30, after the feed's newest comment
    auto out = source.poll(http, settings);
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.posts.size(), 3u);
    out = source.poll(http, settings);
    EXPECT_EQ(out.error, "");
    EXPECT_TRUE(out.posts.empty());
    ASSERT_EQ(validators.size(), 2u);
    EXPECT_EQ(validators[0], std::make_pair(std::string(), std::string()));
    EXPECT_EQ(validators[1],
              std::make_pair(std::string("\"v1\""), std::string("Sat, 13 Jun 2026 10:20:00 GMT")));
}

TEST(SourceConfig, EveryTypeHasAClearErrorForItsRequiredFields) {
    const auto config = parseConfig(R"({"sources": [
        {"type": "bluesky", "hashtags": ["a"], "identifier": "me.example.social"},
        {"type": "x", "hashtags": ["a"]},
        {"type": "wpcom", "site": "https://x.wordpress.com/"},
        {"type": "rss"},
        {"type": "jsonfeed", "url": "ftp://feeds.example/x.json"}]})",
                                    "s.json");
    ASSERT_FALSE(config.ok());
    for (const char* expected :
         {"sources[0].app_password: give both", "sources[1].bearer_token: required",
          "sources[2].site: expected the site's domain", "sources[3].url: required",
          "sources[4].url: expected the feed's https:// address"}) {
        EXPECT_NE(config.error().find(expected), std::string::npos) << expected << "\n"
                                                                    << config.error();
    }
}

} // namespace
} // namespace kiosk

namespace kiosk {
namespace {

// The control page builds a source from its form's fields alone: for every network, filling
// exactly those fields must give a config block the loader accepts (no made-up keys, none
// missing), and every secret key must be in the form as a secret.
TEST(SourceRegistry, EveryFormMakesASourceTheConfigAccepts) {
    for (const auto& type : sourceTypes()) {
        nlohmann::json source{{"type", type.name}};
        std::istringstream fields(type.formFields);
        std::vector<std::string> secrets;
        for (std::string field; fields >> field;) {
            const auto colon = field.find(':');
            ASSERT_NE(colon, std::string::npos) << type.name << ": " << field;
            const std::string key = field.substr(0, colon), kind = field.substr(colon + 1);
            if (kind == "url") {
                source[key] = "https://camp.example.org";
            } else if (kind == "text") {
                source[key] = "camp.example.org";
            } else if (kind == "secret") {
                source[key] = "a-long-enough-secret-value";
                secrets.push_back(key);
            } else if (kind == "tags") {
                source[key] = {"HarbourCamp"};
            } else if (kind == "numbers") {
                source[key] = {42};
            } else {
                FAIL() << type.name << ": unknown field kind " << kind;
            }
        }
        const auto loaded = parseConfig(nlohmann::json{{"sources", {source}}}.dump(), "form.json");
        EXPECT_TRUE(loaded.ok()) << type.name << ": " << (loaded.ok() ? "" : loaded.error());
        std::istringstream secretKeys(type.secretKeys);
        for (std::string key; secretKeys >> key;) {
            EXPECT_NE(std::find(secrets.begin(), secrets.end(), key), secrets.end())
                << type.name << ": secret " << key << " is not in the form";
        }
    }
}

} // namespace
} // namespace kiosk
