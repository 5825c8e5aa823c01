// WordPress REST comments: the parser on a recorded-format page and the source's request URL.
#include "kiosk/sources/WordPress.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

class WordPressParse : public ::testing::Test {
protected:
    void SetUp() override {
        auto parsed = parseWordPress(
            test::readFile(test::fixture("wordpress/comments_post17.json")), {"camp.example.org"});
        ASSERT_TRUE(parsed.ok()) << parsed.error();
        out = std::move(parsed.value());
    }
    ParseOutput out;
};

TEST_F(WordPressParse, LoadsGoodCommentsAndSkipsTheBrokenOne) {
    ASSERT_EQ(out.posts.size(), 3u);
    ASSERT_EQ(out.skipped.size(), 1u);
    EXPECT_NE(out.skipped[0].find("comment [2]"), std::string::npos);
    EXPECT_NE(out.skipped[0].find("comment 305 has no valid date_gmt"), std::string::npos);
}

TEST_F(WordPressParse, ThreadedReplyWithAvatarAndEscapedSlashes) {
    const Post& p = out.posts[0];
    EXPECT_EQ(p.id, "wordpress:camp.example.org:311");
    EXPECT_EQ(p.source, "wordpress");
    EXPECT_EQ(p.url, "https://camp.example.org/2026/04/program-is-out/#comment-311");
    EXPECT_EQ(formatIsoTime(p.createdAt), "2026-05-02T12:05:09Z"); // date_gmt, not local date
    EXPECT_EQ(p.author.name, "Bea Novak");
    EXPECT_EQ(p.author.url, "https://bea.example.org");
    EXPECT_EQ(p.author.avatar, "https://secure.gravatar.com/avatar/5b1f?s=96&d=mm&r=g");
    EXPECT_EQ(p.text, "Agreed! The “hallway track” was the best part.\nSee you next year 🙂");
    EXPECT_TRUE(p.isReply);
    EXPECT_EQ(p.parentId, "wordpress:camp.example.org:308");
}

TEST_F(WordPressParse, AnonymousNoAvatarAndScriptStripped) {
    const Post& p = out.posts[1];
    EXPECT_EQ(p.author.name, "Anonymous");
    EXPECT_EQ(p.author.avatar, ""); // every size was false
    EXPECT_EQ(p.text, "Will the workshops need registration?");
    EXPECT_FALSE(p.isReply);
    EXPECT_EQ(p.parentId, "");
}

TEST_F(WordPressParse, MissingAvatarKeyAndUnsafeAuthorUrl) {
    const Post& p = out.posts[2];
    EXPECT_EQ(p.author.name, "Dmitri");
    EXPECT_EQ(p.author.avatar, "");
    EXPECT_EQ(p.author.url, ""); // javascript: is never a link
}

TEST(WordPressErrors, RestErrorObjectIsReported) {
    const auto parsed = parseWordPress(
        R"({"code":"rest_disabled","message":"The REST API is disabled on this site.","data":{"status":403}})",
        {"b.example"});
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error(), "WordPress said: \"The REST API is disabled on this site.\" "
                              "(\"rest_disabled\")");
}

TEST(WordPressErrors, AnIdBeyondLongLongKeepsItsDigits) {
    // JSON keeps such a number unsigned; read as long long it came out as "-1".
    const auto parsed = parseWordPress(
        R"([{"id": 18446744073709551615, "post": 17, "date_gmt": "2026-05-02T12:00:00",
             "status": "approved", "author_name": "Ola",
             "content": {"rendered": "<p>Great talk</p>"}}])",
        {"b.example"});
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    ASSERT_EQ(parsed->posts.size(), 1u);
    EXPECT_EQ(parsed->posts[0].id, "wordpress:b.example:18446744073709551615");
}

TEST(WordPressErrors, UnapprovedCommentsNeverShow) {
    const auto parsed = parseWordPress(
        R"([{"id": 9, "date_gmt": "2026-05-02T12:00:00", "status": "hold", "author_name": "x",
             "content": {"rendered": "<p>pending</p>"}}])",
        {"b.example"});
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed->posts.empty());
}

TEST(WordPressSource, PagesOnFirstLoadThenOnlyTheNewestPageWithTheTitleOnce) {
    WordPressSource::Settings s;
    s.site = "https://blog.example/";
    s.postIds = {17};
    test::FakeHttpClient http;
    const std::string comments = test::readFile(test::fixture("wordpress/comments_post17.json"));
    http.onJson("https://blog.example/wp-json/wp/v2/posts/17", 200,
                R"({"id": 17, "title": {"rendered": "The programme &#8211; out now"}})");
    http.on("https://blog.example/wp-json/wp/v2/comments", [&comments](const HttpRequest&) {
        HttpResponse r;
        r.status = 200;
        r.body = comments;
        r.headers["x-wp-total"] = "150";
        r.headers["x-wp-totalpages"] = "2";
        return r;
    });
    WordPressSource source(s);
    auto out = source.poll(http, {});
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.posts.size(), 6u); // the same fixture served as both pages
    EXPECT_EQ(out.posts[0].context, "The programme – out now");
    const std::string base = "https://blog.example/wp-json/wp/v2/comments?per_page=100&"
                             "orderby=date_gmt&order=desc&post=17";
    EXPECT_EQ(http.requests,
              (std::vector<std::string>{"https://blog.example/wp-json/wp/v2/posts/17?_fields=id,"
                                        "title,link",
                                        base, base + "&page=2"}));
    http.requests.clear();
    out = source.poll(http, {});
    EXPECT_EQ(http.requests, (std::vector<std::string>{base}));
    EXPECT_EQ(out.posts[0].context, "The programme – out now");
}

TEST(WordPressSource, WordPressComServesTheSameApiUnderItsOwnBase) {
    WordPressSource::Settings s;
    s.site = "https://camp.wordpress.com";
    s.restBase = "https://public-api.wordpress.com/wp/v2/sites/camp.wordpress.com";
    s.postIds = {5};
    WordPressSource source(s);
    EXPECT_EQ(source.requestUrl(5, 1), "https://public-api.wordpress.com/wp/v2/sites/"
                                       "camp.wordpress.com/comments?per_page=100&orderby=date_gmt&"
                                       "order=desc&post=5");
}

TEST(WordPressSource, ARestartNeitherPagesBackNorRefetchesTheTitle) {
    WordPressSource::Settings s;
    s.site = "https://blog.example";
    s.postIds = {17};
    test::FakeHttpClient http;
    http.onJson("https://blog.example/wp-json/wp/v2/posts/17", 200,
                R"({"id": 17, "title": {"rendered": "Programme"}})");
    http.on("https://blog.example/wp-json/wp/v2/comments", [](const HttpRequest&) {
        HttpResponse r;
        r.status = 200;
        r.body = "[]";
        r.headers["x-wp-totalpages"] = "3";
        return r;
    });
    WordPressSource first(s);
    first.poll(http, {});
    EXPECT_EQ(http.requests.size(), 4u); // title + 3 pages
    WordPressSource second(s);
    second.loadState(first.saveState());
    http.requests.clear();
    second.poll(http, {});
    EXPECT_EQ(http.requests,
              (std::vector<std::string>{"https://blog.example/wp-json/wp/v2/comments?per_page=100&"
                                        "orderby=date_gmt&order=desc&post=17"}));
}

TEST(WordPressSource, CommentsStillLoadWhenTheTitleFails) {
    WordPressSource::Settings s;
    s.site = "https://blog.example";
    s.postIds = {17};
    test::FakeHttpClient http;
    http.onJson("https://blog.example/wp-json/wp/v2/posts/", 401,
                R"({"code":"rest_forbidden","message":"Sorry, you are not allowed to do that."})");
    http.onJson("https://blog.example/wp-json/wp/v2/comments", 200,
                test::readFile(test::fixture("wordpress/comments_post17.json")));
    WordPressSource source(s);
    const auto out = source.poll(http, {});
    EXPECT_EQ(out.error, "");
    EXPECT_EQ(out.posts.size(), 3u);
    EXPECT_EQ(out.posts[0].context, "");
}

} // namespace
} // namespace kiosk
