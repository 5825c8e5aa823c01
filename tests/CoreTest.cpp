// Small pure pieces: time parsing and formatting, URLs, the Post JSON contract, the store,
// the rotation, the card timeline and what a log line may hold.
#include "kiosk/base/FramePacing.h"
#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"
#include "kiosk/base/Utf8.h"
#include "kiosk/model/CardCycle.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/model/Schedule.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <string_view>
#include <vector>

namespace kiosk {
namespace {

TEST(Time, ParsesTheFormatsOurSourcesSend) {
    const UnixTime t = 1781343000; // 2026-06-13T09:30:00Z
    EXPECT_EQ(parseIsoTime("2026-06-13T09:30:00Z"), t);
    EXPECT_EQ(parseIsoTime("2026-06-13T09:30:00.123Z"), t);
    EXPECT_EQ(parseIsoTime("2026-06-13T09:30:00"), t); // WordPress date_gmt: UTC, no zone
    EXPECT_EQ(parseIsoTime("2026-06-13T11:30:00+02:00"), t);
    EXPECT_EQ(parseIsoTime("2026-06-13T04:30:00-0500"), t);
    EXPECT_FALSE(parseIsoTime(""));
    EXPECT_FALSE(parseIsoTime("2026-13-13T09:30:00Z"));
    EXPECT_FALSE(parseIsoTime("yesterday"));
    EXPECT_FALSE(parseIsoTime("2026-06-13T09:30:00Zjunk"));
}

TEST(Time, FormatsRoundTrip) {
    EXPECT_EQ(formatIsoTime(1781343000), "2026-06-13T09:30:00Z");
    EXPECT_EQ(formatIsoTime(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(formatIsoTime(*parseIsoTime("2024-02-29T23:59:59Z")), "2024-02-29T23:59:59Z");
}

TEST(Time, RelativeTimeReadsNaturally) {
    const UnixTime now = 1781343000;
    EXPECT_EQ(relativeTime(now, now + 30), "just now"); // clock skew into the future
    EXPECT_EQ(relativeTime(now, now - 59), "just now");
    EXPECT_EQ(relativeTime(now, now - 5 * 60), "5 min ago");
    EXPECT_EQ(relativeTime(now, now - 3 * 3600 - 10), "3 h ago");
    EXPECT_EQ(relativeTime(now, now - 86400), "1 day ago");
    EXPECT_EQ(relativeTime(now, now - 3 * 86400), "3 days ago");
    EXPECT_EQ(relativeTime(now, now - 30 * 86400), "14 May 2026");
}

TEST(Url, HostsEncodingAndSchemes) {
    EXPECT_EQ(hostOf("https://mastodon.social/@a/1"), "mastodon.social");
    EXPECT_EQ(hostOf("http://127.0.0.1:8080/x"), "127.0.0.1");
    EXPECT_EQ(hostOf("not a url"), "");
    EXPECT_EQ(percentEncode("café #1"), "caf%C3%A9%20%231");
    EXPECT_EQ(webUrlOrEmpty("javascript:alert(1)"), "");
    EXPECT_EQ(webUrlOrEmpty("file:///etc/passwd"), "");
    EXPECT_EQ(webUrlOrEmpty("https://ok.example"), "https://ok.example");
    EXPECT_EQ(resolveFileUrl("file:demo/x.json", "/srv/kiosk/config"),
              "file:///srv/kiosk/config/demo/x.json");
    EXPECT_EQ(resolveFileUrl("https://a.example", "/x"), "https://a.example");
}

Post makePost(const std::string& id, UnixTime at, const std::string& author = "a") {
    Post p;
    p.id = id;
    p.source = "mastodon";
    p.createdAt = at;
    p.author.name = author;
    p.text = "text of " + id;
    return p;
}

TEST(PostJson, FollowsTheContract) {
    Post p = makePost("mastodon:s.example:1", 1781343000);
    p.media.push_back({"https://m.example/1.jpg", "alt", 640, 480, "image"});
    const auto j = nlohmann::json::parse(toJsonLine(p));
    for (const char* key : {"id", "source", "url", "created_at", "author", "text", "links",
                            "hashtags", "mentions", "media", "lang", "sensitive", "spoiler",
                            "is_reply", "is_repost", "parent_id", "custom_emoji"}) {
        EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["created_at"], "2026-06-13T09:30:00Z");
    EXPECT_EQ(j["media"][0]["width"], 640);
    EXPECT_EQ(j["author"]["name"], "a");
}

TEST(PostJson, InvalidUtf8DoesNotThrow) {
    Post p = makePost("x", 0);
    p.text = "bad \xff byte";
    EXPECT_NO_THROW(toJsonLine(p));
}

TEST(PostStore, DedupesKeepsNewestFirstAndBounds) {
    PostStore store(3);
    EXPECT_EQ(store.add({makePost("a", 10), makePost("b", 30)}), 2u);
    const auto v1 = store.version();
    EXPECT_EQ(store.add({makePost("a", 10), makePost("c", 20), makePost("d", 5)}), 2u);
    EXPECT_GT(store.version(), v1);
    const auto snap = store.snapshot();
    ASSERT_EQ(snap->size(), 3u);
    EXPECT_EQ((*snap)[0].id, "b");
    EXPECT_EQ((*snap)[1].id, "c");
    EXPECT_EQ((*snap)[2].id, "a"); // "d" was the oldest and fell off
}

TEST(Schedule, FreshPostsFirstThenLeastRecentlyShown) {
    std::vector<Post> posts = {makePost("new", 30, "a"), makePost("mid", 20, "b"),
                               makePost("old", 10, "c")};
    Schedule s;
    std::vector<std::string> shown;
    for (int i = 0; i < 6; ++i) {
        shown.push_back(posts[*s.next(posts, 0)].id);
    }
    EXPECT_EQ(shown, (std::vector<std::string>{"new", "mid", "old", "new", "mid", "old"}));
    // A post arriving later jumps the queue.
    posts.insert(posts.begin(), makePost("fresh", 40, "d"));
    EXPECT_EQ(posts[*s.next(posts, 0)].id, "fresh");
    EXPECT_FALSE(s.next({}, 0).has_value());
}

TEST(Schedule, NeverRepeatsTheCurrentCardWhenThereIsAnother) {
    std::vector<Post> posts = {makePost("x", 2, "a"), makePost("y", 1, "a")};
    Schedule s;
    std::string last;
    for (int i = 0; i < 20; ++i) {
        const std::string id = posts[*s.next(posts, 0)].id;
        EXPECT_NE(id, last);
        last = id;
    }
}

TEST(FramePacing, TransitionFramesKeepToTheDisplayRateAndNeverExceed60) {
    EXPECT_EQ(frameRateFor(0), 60.0);   // unknown (Xvfb, dummy)
    EXPECT_EQ(frameRateFor(144), 60.0); // a fast monitor gains nothing for a fade
    EXPECT_EQ(frameRateFor(50), 50.0);  // a PAL projector
    // Drawn and presented in 2 ms without vsync: wait out the rest of the frame.
    EXPECT_NEAR(paceAfterFrame(10.0, 10.002, 60.0), 1.0 / 60 - 0.002, 1e-9);
    // Vsync (or a slow frame) already took the whole frame: no wait.
    EXPECT_EQ(paceAfterFrame(10.0, 10.020, 60.0), 0.0);
    // A whole 800 ms fade at 60 frames a second, without vsync, is 48 frames, not thousands.
    int frames = 0;
    for (double t = 0; t < 0.8; ++frames) {
        const double drawn = t + 0.001;
        t = drawn + paceAfterFrame(t, drawn, frameRateFor(0));
    }
    EXPECT_EQ(frames, 48);
}

TEST(CardCycle, TimelineIsAFunctionOfTime) {
    const std::vector<Post> posts = {makePost("p1", 3), makePost("p2", 2), makePost("p3", 1)};
    CardCycle live(10, 1);
    for (double t = 0; t <= 35; t += 0.25) {
        live.update(posts, t);
    }
    CardCycle jump(10, 1);
    jump.update(posts, 0);
    jump.update(posts, 35);
    ASSERT_NE(live.current(), nullptr);
    EXPECT_EQ(live.current()->id, jump.current()->id);
    EXPECT_EQ(jump.current()->id, "p1"); // p1 (0-10), p2, p3, p1 again from 30
    EXPECT_EQ(jump.previous()->id, "p3");
    EXPECT_DOUBLE_EQ(jump.progress(30.5), 0.5);
    EXPECT_FALSE(jump.inTransition(35));
    EXPECT_EQ(jump.nextChangeAt(), 40.0);
}

TEST(CardCycle, WaitsForPostsAndShowsTheFirstAtOnce) {
    CardCycle cycle(10, 1);
    cycle.update({}, 0);
    EXPECT_EQ(cycle.current(), nullptr);
    EXPECT_FALSE(cycle.nextChangeAt());
    cycle.update({makePost("late", 1)}, 42);
    ASSERT_NE(cycle.current(), nullptr);
    EXPECT_EQ(cycle.progress(42), 1.0); // no fade from an empty card
    cycle.update({makePost("late", 1)}, 100);
    EXPECT_EQ(cycle.previous(), nullptr); // a single post never transitions into itself
}

TEST(CardCycle, ADeletedPostLeavesTheScreenAtOnce) {
    std::vector<Post> posts = {makePost("gone", 3), makePost("keep", 2)};
    CardCycle cycle(10, 1);
    cycle.update(posts, 0);
    ASSERT_EQ(cycle.current()->id, "gone"); // newest first
    posts = {makePost("keep", 2)};          // "gone" was deleted at its source
    cycle.update(posts, 3);
    ASSERT_NE(cycle.current(), nullptr);
    EXPECT_EQ(cycle.current()->id, "keep");
    EXPECT_EQ(cycle.previous(), nullptr);
    cycle.update({}, 4);
    EXPECT_EQ(cycle.current(), nullptr); // nothing left: the wall says it is waiting
}

TEST(PostStore, RemovesDeletedPosts) {
    PostStore store;
    store.add({makePost("a", 1), makePost("b", 2)});
    const auto v = store.version();
    EXPECT_EQ(store.remove({"a", "zzz"}), 1u);
    EXPECT_GT(store.version(), v);
    ASSERT_EQ(store.snapshot()->size(), 1u);
    EXPECT_EQ(store.snapshot()->front().id, "b");
    EXPECT_EQ(store.remove({"zzz"}), 0u);
}

TEST(Utf8, CutsNeverSplitACharacter) {
    const std::string text = "Kaffee \xE2\x98\x95 und Br\xC3\xB6tchen"; // "Kaffee ☕ und Brötchen"
    EXPECT_EQ(utf8Boundary(text, 7), 7u);                               // before the cup
    EXPECT_EQ(utf8Boundary(text, 8), 7u);                               // inside it
    EXPECT_EQ(utf8Boundary(text, 9), 7u);                               // still inside
    EXPECT_EQ(utf8Boundary(text, 10), 10u);                             // after it
    EXPECT_EQ(utf8Boundary(text, 18), 17u);                             // inside the ö
    EXPECT_EQ(utf8Boundary(text, 500), text.size());
    EXPECT_EQ(utf8Boundary("", 3), 0u);
}

TEST(Log, EveryMessageStaysOneBoundedLine) {
    std::vector<std::string> lines;
    setLogSink(
        [&](LogLevel, std::string_view, std::string_view message) { lines.emplace_back(message); });
    // A Host header as a stranger could send it: a forged journal entry, a terminal escape, a C1
    // CSI, a NUL. Letters from other scripts are text and stay as they are.
    const std::string hostile = std::string("Host \"caf\xC3\xA9.example\r\n<3>E admin: forged"
                                            "\x1B[2J\xC2\x9B"
                                            "31m\t") +
                                '\0' + "\xE3\x82\xAD\"";
    logWarn("admin", hostile);
    logInfo("venue", std::string(3000, 'a') + std::string(2000, '\xC3') + "\xC3\xA9");
    setLogSink(nullptr);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(lines[0], "Host \"caf\xC3\xA9.example\\x0d\\x0a<3>E admin: forged\\x1b[2J"
                        "\\xc2\\x9b"
                        "31m\\x09\\x00\xE3\x82\xAD\"");
    // 5,002 bytes: the first 4,096 are kept and the rest counted.
    EXPECT_EQ(lines[1].substr(0, 3000), std::string(3000, 'a'));
    EXPECT_EQ(lines[1].size(), kMaxLogBytes + std::string("... (906 bytes more)").size());
    EXPECT_EQ(lines[1].substr(kMaxLogBytes), "... (906 bytes more)");
}

} // namespace
} // namespace kiosk
