// Parser tables for Bluesky, X, RSS, Atom, JSON Feed and WordPress.com on fixtures written in
// the real API shapes, plus the edge cases each format is known for.
#include "kiosk/sources/Bluesky.h"
#include "kiosk/sources/Feeds.h"
#include "kiosk/sources/SourceRegistry.h"
#include "kiosk/sources/WordPressCom.h"
#include "kiosk/sources/XPosts.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <cstring>

namespace kiosk {
namespace {

ParseOutput parseFixture(ParseFn parse, const std::string& file, ParseContext context = {}) {
    auto parsed = parse(test::readFile(test::fixture(file)), context);
    EXPECT_TRUE(parsed.ok()) << file << ": " << parsed.error();
    return parsed.ok() ? std::move(parsed.value()) : ParseOutput{};
}

// The one loop every parser reads its records with: a record that throws is skipped with its
// kind, index and reason; one left out on purpose (nullopt) is not an error; the rest still come.
TEST(Formats, ARecordThatThrowsIsSkippedByIndexAndTheRestStillCome) {
    ParseOutput out;
    const std::vector<std::string> ids = {"c1", "", "pending", "c4"};
    for (std::size_t i = 0; i < ids.size(); ++i) {
        out.record("comment", i, [&]() -> std::optional<Post> {
            if (ids[i].empty()) {
                throw std::runtime_error("comment has no id");
            }
            if (ids[i] == "pending") {
                return std::nullopt;
            }
            Post p;
            p.id = "wordpress:blog.example:" + ids[i];
            return p;
        });
    }
    out.record("item", 7, [] { return Post{}; });
    ASSERT_EQ(out.posts.size(), 3u);
    EXPECT_EQ(out.posts[0].id, "wordpress:blog.example:c1");
    EXPECT_EQ(out.posts[1].id, "wordpress:blog.example:c4");
    EXPECT_EQ(out.skipped, std::vector<std::string>{"comment [1]: comment has no id"});
}

TEST(Bluesky, SearchResultsWithFacetsEmbedsAndLabels) {
    const auto out = parseFixture(parseBluesky, "bluesky/search_posts.json");
    ASSERT_EQ(out.posts.size(), 3u); // the !no-unauthenticated author is left out
    ASSERT_EQ(out.skipped.size(), 1u);
    EXPECT_NE(out.skipped[0].find("post [4]: post has no at:// uri"), std::string::npos);
    EXPECT_EQ(out.nextPage, "1781345280000::bafyreidddd"); // the cursor, for the next page

    const Post& cafe = out.posts[0];
    EXPECT_EQ(cafe.id, "bluesky:at://did:plc:4f2kq7zqvkhm3xnb5d2uwhaa/app.bsky.feed.post/"
                       "3m2campa1b2c3");
    EXPECT_EQ(cafe.url, "https://bsky.app/profile/ines.example.social/post/3m2campa1b2c3");
    EXPECT_EQ(formatIsoTime(cafe.createdAt), "2026-06-13T10:00:01Z"); // indexedAt
    EXPECT_EQ(cafe.author.name, "Inês 🌻 Duarte");
    EXPECT_EQ(cafe.author.handle, "@ines.example.social");
    EXPECT_EQ(cafe.lang, "pt");
    EXPECT_EQ(cafe.mentions, (std::vector<std::string>{"marta.example.social"}));
    // The out-of-range tag facet is clamped to the text, not dropped or crashed on.
    EXPECT_EQ(cafe.hashtags, (std::vector<std::string>{"OpenCamp", "OutOfRange"}));
    EXPECT_EQ(cafe.links, (std::vector<std::string>{"https://camp.example.org/programme/day-1"}));
    ASSERT_EQ(cafe.media.size(), 1u);
    EXPECT_EQ(cafe.media[0].alt, "Two paper cups of coffee on a windowsill");
    EXPECT_EQ(cafe.media[0].width, 1600);

    const Post& video = out.posts[1];
    EXPECT_EQ(video.author.name, "lens.example.social"); // empty displayName
    EXPECT_TRUE(video.isReply);
    EXPECT_EQ(video.parentId, cafe.id);
    EXPECT_TRUE(video.sensitive); // self-labelled graphic-media
    EXPECT_EQ(video.spoiler, "Labelled graphic-media");
    EXPECT_EQ(video.context, "quoting @ines.example.social");
    ASSERT_EQ(video.media.size(), 1u);
    EXPECT_EQ(video.media[0].kind, "video");
    EXPECT_EQ(video.media[0].height, 1920);

    const Post& link = out.posts[2];
    EXPECT_FALSE(link.sensitive);                                     // the porn label was negated
    EXPECT_EQ(link.hashtags, (std::vector<std::string>{"OpenCamp"})); // record tags
    EXPECT_EQ(link.links, (std::vector<std::string>{"https://video.example.org/panel"}));
    ASSERT_EQ(link.media.size(), 1u);
    EXPECT_EQ(link.media[0].kind, "card");
}

TEST(Bluesky, Utf8SliceClampsToCharacters) {
    const std::string text = "a☕b"; // ☕ is 3 bytes: 1..4
    EXPECT_EQ(utf8Slice(text, 1, 4), "☕");
    EXPECT_EQ(utf8Slice(text, 2, 5), "b"); // starts mid-character: moves to the next one
    EXPECT_EQ(utf8Slice(text, 0, 999), text);
    EXPECT_EQ(utf8Slice(text, -5, 1), "a");
    EXPECT_EQ(utf8Slice(text, 4, 2), "");
}

TEST(Bluesky, ErrorsAndHtml) {
    EXPECT_FALSE(
        parseBluesky("<html><body>Request forbidden by administrative rules</body></html>", {})
            .ok());
    const auto err = parseBluesky(R"({"error":"InvalidToken","message":"Token has expired"})", {});
    ASSERT_FALSE(err.ok());
    EXPECT_EQ(err.error(), "Bluesky said: InvalidToken: Token has expired");
}

TEST(X, JoinsIncludesAndCleansText) {
    const auto out = parseFixture(parseXPosts, "x/search_recent.json");
    ASSERT_EQ(out.posts.size(), 3u);
    ASSERT_EQ(out.skipped.size(), 1u);
    EXPECT_EQ(out.newestId, "1934567890123456789"); // meta: where since_id moves
    EXPECT_EQ(out.nextPage, "");                    // no next_token: the last page

    const Post& rt = out.posts[0];
    EXPECT_TRUE(rt.isRepost);
    EXPECT_EQ(rt.id, "x:x.com:1934560000000000001"); // the original, not the retweet
    EXPECT_EQ(rt.author.name, "Open Camp 🏕️");
    EXPECT_EQ(rt.author.handle, "@camp_org");
    EXPECT_EQ(rt.author.avatar, "https://pbs.twimg.com/profile_images/2/camp_400x400.png");
    EXPECT_EQ(rt.text, "Doors open at 9:00 & coffee is free until 10 — see you at #OpenCamp! "
                       "opencamp.example.org/schedule");
    EXPECT_EQ(rt.links, (std::vector<std::string>{"https://opencamp.example.org/schedule"}));
    EXPECT_EQ(rt.url, "https://x.com/camp_org/status/1934560000000000001");

    const Post& lunch = out.posts[1];
    EXPECT_EQ(lunch.text, "Is 3 < 5? Only if you don't count the queue for lunch >_< #OpenCamp");
    EXPECT_TRUE(lunch.sensitive);
    EXPECT_TRUE(lunch.isReply);
    EXPECT_EQ(lunch.parentId, "x:x.com:1934566000000000003");
    ASSERT_EQ(lunch.media.size(), 1u);
    EXPECT_EQ(lunch.media[0].alt, "A long queue in front of a food truck");
    EXPECT_EQ(lunch.media[0].kind, "image");

    const Post& note = out.posts[2];
    EXPECT_EQ(note.text.rfind("A very long post that X cut short, but the note_post", 0), 0u);
    EXPECT_EQ(note.lang, ""); // qme is not a language
    EXPECT_EQ(note.author.name, "longwriter");
}

TEST(X, TimesFromSnowflakesAndErrors) {
    EXPECT_EQ(formatIsoTime(*snowflakeTime("1578522194770296832")), "2022-10-07T23:06:33Z");
    EXPECT_FALSE(snowflakeTime("12"));
    EXPECT_EQ(unescapeXText("&amp;lt; &lt;b&gt;"), "&lt; <b>");
    const auto err = parseXPosts(
        R"({"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"})",
        {});
    ASSERT_FALSE(err.ok());
    EXPECT_EQ(err.error(), "X said: Unauthorized: Unauthorized");
    const auto empty = parseXPosts(R"({"meta":{"result_count":0}})", {});
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty->posts.empty());
}

TEST(Rss, WordPressCommentFeed) {
    const auto out = parseFixture(parseRss, "feeds/comments_rss2.xml");
    ASSERT_EQ(out.posts.size(), 2u);
    ASSERT_EQ(out.skipped.size(), 1u);
    EXPECT_NE(out.skipped[0].find("item \"By: Someone\" has no valid date"), std::string::npos);
    const Post& first = out.posts[0];
    EXPECT_EQ(first.id, "rss:camp.example.org:https://camp.example.org/?p=120#comment-58");
    EXPECT_EQ(first.author.name, "Jürgen Weiß");
    EXPECT_EQ(first.text, "Will the workshop room have power strips? My laptop battery is not what "
                          "it used to be 😅");
    EXPECT_EQ(first.context, "Open Camp: the programme is out");
    EXPECT_EQ(formatIsoTime(first.createdAt), "2026-06-13T10:12:00Z");
    const Post& second = out.posts[1];
    EXPECT_EQ(formatIsoTime(second.createdAt), "2026-06-13T10:15:00Z"); // +0200 honoured
    ASSERT_EQ(second.media.size(), 1u); // the tracking pixel is not a picture
    EXPECT_EQ(second.media[0].alt, "A power strip taped to a table");
}

TEST(Rss, DatelessItemsUseTheTimeWeSawThem) {
    const auto out = parseFixture(parseRss, "feeds/comments_rss2.xml", {"", 1781345000});
    ASSERT_EQ(out.posts.size(), 3u);
    EXPECT_TRUE(out.posts[2].timeGuessed);
    EXPECT_EQ(out.posts[2].createdAt, 1781345000);
}

TEST(Atom, ThreadedCommentsAndXhtml) {
    const auto out = parseFixture(parseAtom, "feeds/comments_atom.xml");
    ASSERT_EQ(out.posts.size(), 2u);
    const Post& reply = out.posts[0];
    EXPECT_EQ(reply.source, "atom");
    EXPECT_EQ(reply.author.name, "Ana Ruiz");
    EXPECT_EQ(reply.author.url, "https://ana.example.es");
    EXPECT_EQ(reply.text, "Bring an extension lead anyway – trust me.");
    EXPECT_TRUE(reply.isReply);
    EXPECT_EQ(reply.parentId, "atom:camp.example.org:https://camp.example.org/?p=120#comment-58");
    const Post& top = out.posts[1];
    EXPECT_FALSE(top.isReply); // replies to the post itself are top-level comments
    EXPECT_EQ(top.text, "Is the Saturday session list final?");
    EXPECT_EQ(formatIsoTime(top.createdAt), "2026-06-13T10:28:00Z"); // updated when no published
}

struct BadXml {
    const char* name;
    const char* body;
    const char* error;
};
void PrintTo(const BadXml& row, std::ostream* os) {
    *os << row.name;
}

class FeedErrors : public ::testing::TestWithParam<BadXml> {};

TEST_P(FeedErrors, AreClearNotCrashes) {
    const auto parsed = parseRss(GetParam().body, {});
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.error().find(GetParam().error), std::string::npos) << parsed.error();
}

INSTANTIATE_TEST_SUITE_P(
    Table, FeedErrors,
    ::testing::Values(BadXml{"html_page", "<html><body>Not a feed</body></html>",
                             "not an RSS or Atom feed (the document starts with <html>)"},
                      BadXml{"truncated", "<rss><channel><item><title>x", "XML error at line 1"},
                      BadXml{"empty", "", "XML error"},
                      BadXml{"json", "{\"items\": []}", "XML error"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Rss, TruncatedFeedKeepsTheItemsBeforeTheBreak) {
    const auto parsed = parseRss("<rss><channel><title>t</title><item><title>One</title>"
                                 "<guid>1</guid><pubDate>Sat, 13 Jun 2026 10:00:00 GMT</pubDate>"
                                 "</item><item><title>Tw",
                                 {});
    ASSERT_TRUE(parsed.ok()) << parsed.error();
    ASSERT_EQ(parsed->posts.size(), 1u);
    EXPECT_EQ(parsed->posts[0].text, "One");
    ASSERT_FALSE(parsed->skipped.empty());
    EXPECT_NE(parsed->skipped.back().find("the rest of the feed: XML error"), std::string::npos);
}

TEST(JsonFeed, ItemsAuthorsAttachmentsAndDates) {
    const auto out = parseFixture(parseJsonFeed, "feeds/camp_feed.json", {"", 1781345000});
    ASSERT_EQ(out.posts.size(), 3u);
    ASSERT_EQ(out.skipped.size(), 1u);
    EXPECT_NE(out.skipped[0].find("item [3]: item has no id"), std::string::npos);
    const Post& day = out.posts[0];
    EXPECT_EQ(day.id, "jsonfeed:camp.example.org:https://camp.example.org/2026/06/day-two");
    EXPECT_EQ(day.author.name, "Priya");
    EXPECT_EQ(day.text, "Day two: what's on\nWorkshops in rooms A–C, the quiet room stays open.");
    EXPECT_EQ(formatIsoTime(day.createdAt), "2026-06-14T05:00:00Z");
    EXPECT_EQ(day.lang, "en");
    ASSERT_EQ(day.media.size(), 1u);
    EXPECT_EQ(day.media[0].alt, "Room map");
    const Post& lost = out.posts[1];
    EXPECT_EQ(lost.id, "jsonfeed:camp.example.org:42"); // numeric ids accepted
    EXPECT_EQ(lost.author.name, "Front desk");          // JSON Feed 1.0 "author"
    ASSERT_EQ(lost.media.size(), 1u);
    EXPECT_EQ(lost.media[0].url, "https://camp.example.org/img/umbrella.jpg");
    EXPECT_EQ(out.posts[2].author.name, "Open Camp team"); // inherited from the feed
    EXPECT_TRUE(out.posts[2].timeGuessed);
}

TEST(JsonFeed, RejectsWhatIsNotAFeed) {
    EXPECT_FALSE(parseJsonFeed(R"({"items": []})", {}).ok());
    EXPECT_FALSE(parseJsonFeed(R"({"version": "https://jsonfeed.org/version/1.1"})", {}).ok());
    EXPECT_TRUE(
        parseJsonFeed(R"({"version": "http://jsonfeed.org/version/1", "items": []})", {}).ok());
}

TEST(WordPressCom, RepliesWithParentsAndPostTitle) {
    const auto out = parseFixture(parseWordPressCom, "wpcom/post_replies.json");
    ASSERT_EQ(out.posts.size(), 2u);
    ASSERT_EQ(out.skipped.size(), 1u);
    const Post& top = out.posts[0];
    EXPECT_EQ(top.id, "wpcom:123456789:77");
    EXPECT_EQ(top.source, "wpcom");
    EXPECT_EQ(formatIsoTime(top.createdAt), "2026-06-13T09:02:00Z");
    EXPECT_EQ(top.author.avatar, "https://0.gravatar.com/avatar/abc123?s=96&d=identicon&r=G");
    EXPECT_EQ(top.context, "Open Camp – call for sessions");
    EXPECT_FALSE(top.isReply); // parent: false
    const Post& answer = out.posts[1];
    EXPECT_TRUE(answer.isReply);
    EXPECT_EQ(answer.parentId, "wpcom:123456789:77");
    EXPECT_EQ(answer.author.url, "");
}

} // namespace
} // namespace kiosk

namespace kiosk {
namespace {

// Found by the issue's fuzz run: a picture's width of 7.7e112 was converted to int (undefined
// behaviour). Sizes that are not sensible numbers now read as 0 and the post still parses.
TEST(Formats, JsonNestedBeyondAnyApiIsRefusedByName) {
    // 8 MB of "[" (a response's size cap) became 320 MB of values; now a clear error.
    const std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']');
    const std::string fine = std::string(60, '[') + std::string(60, ']');
    for (const char* format : {"mastodon", "wordpress", "wpcom", "jsonfeed", "bluesky", "x"}) {
        const auto out = findSourceType(format)->parse(deep, ParseContext{"", 1784000000});
        ASSERT_FALSE(out) << format;
        EXPECT_EQ(out.error().rfind("nested deeper than 64 levels (expected ", 0), 0u)
            << format << ": " << out.error();
        // Sixty levels are only the wrong shape, named as such.
        const auto shallow = findSourceType(format)->parse(fine, ParseContext{"", 1784000000});
        if (!shallow) {
            EXPECT_EQ(shallow.error().find("nested deeper"), std::string::npos) << format;
        }
    }
}

TEST(Formats, PictureSizesThatDoNotFitAreIgnored) {
    struct Case {
        const char* format;
        const char* fixture;
        const char* from;
        const char* to;
    };
    const Case cases[] = {
        {"bluesky", "bluesky/search_posts.json", R"("width": 1600)", R"("width": 7.7e112)"},
        {"bluesky", "bluesky/search_posts.json", R"("height": 1200)", R"("height": -3)"},
        {"mastodon", "mastodon/tag_timeline_mixed.json", R"("width": 2048)", R"("width": 1e300)"},
        {"x", "x/search_recent.json", R"("width": 1200)", R"("width": 2147483648)"},
    };
    for (const auto& c : cases) {
        std::string body = test::readFile(test::fixture(c.fixture));
        const auto at = body.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.fixture;
        body.replace(at, std::strlen(c.from), c.to);
        auto out = findSourceType(c.format)->parse(body, ParseContext{"", 1784000000});
        ASSERT_TRUE(out) << c.format << ": " << out.error();
        bool found = false;
        for (const auto& post : out.value().posts) {
            for (const auto& m : post.media) {
                EXPECT_GE(m.width, 0);
                EXPECT_LE(m.width, 100000);
                EXPECT_GE(m.height, 0);
                found = found || m.width == 0 || m.height == 0;
            }
        }
        EXPECT_TRUE(found) << c.format << " " << c.to << ": the odd size reads as 0";
    }
    // The store's own JSON, read back.
    auto stored = postFromJson(
        R"({"id":"mastodon:a.example:1","source":"mastodon","created_at":"2026-07-14T10:00:00Z",)"
        R"("author":{"name":"Ana"},"text":"hi","media":[{"url":"https://a.example/p.png",)"
        R"("width":7.7e112,"height":"tall","kind":"image"}]})");
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->media.size(), 1u);
    EXPECT_EQ(stored->media[0].width, 0);
    EXPECT_EQ(stored->media[0].height, 0);
}

} // namespace
} // namespace kiosk
