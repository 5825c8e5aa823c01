// The durable store: posts and verdicts round-trip, migrations, retention, and the promise
// that matters most: an organiser's decision acknowledged before a kill -9 is there after it.
#include "kiosk/store/Database.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <set>

namespace kiosk {
namespace {

namespace fs = std::filesystem;

std::string freshDb(const std::string& name) {
    const fs::path p =
        fs::temp_directory_path() / ("kiosk-db-" + std::to_string(::getpid()) + "-" + name + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) {
        fs::remove(p.string() + suffix);
    }
    return p.string();
}

Post post(const std::string& id, UnixTime at) {
    Post p;
    p.id = id;
    p.source = "mastodon";
    p.createdAt = at;
    p.author = {"Ana", "@ana@m.example", "https://m.example/a.png", "https://m.example/@ana", true};
    p.text = "Text of " + id + " with ünïcödé 🎉";
    p.media.push_back({"https://m.example/p.jpg", "a picture", 640, 480, "image"});
    p.customEmoji.push_back({"blobcat", "https://m.example/e/blobcat.png"});
    p.context = "Welcome post";
    p.hashtags = {"OpenCamp"};
    return p;
}

TEST(Database, PostsAndVerdictsRoundTrip) {
    auto db = Database::open(freshDb("roundtrip"));
    ASSERT_TRUE(db.ok()) << db.error();
    EXPECT_EQ((*db)->schemaVersion(), Database::kSchemaVersion);
    (*db)->savePosts({{post("a", 100), Verdict::Show, {}},
                      {post("b", 300), Verdict::Hide, {ReasonKind::BlockedWord, "x"}},
                      {post("c", 200), Verdict::Queue, {ReasonKind::Waiting, ""}}},
                     1000);
    const auto all = (*db)->loadPosts(10);
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].post.id, "b"); // newest first
    EXPECT_EQ(all[0].reason, (Reason{ReasonKind::BlockedWord, "x"}));
    EXPECT_EQ(all[1].reason, (Reason{ReasonKind::Waiting, ""}));
    EXPECT_TRUE(all[2].reason.empty());
    EXPECT_EQ(toJsonLine(all[2].post), toJsonLine(post("a", 100))); // every field survives
    const auto shown = (*db)->loadPosts(10, Verdict::Show);
    ASSERT_EQ(shown.size(), 1u);
    EXPECT_EQ(shown[0].post.id, "a");
    // An edit replaces the earlier version.
    Post edited = post("a", 100);
    edited.text = "edited";
    (*db)->savePosts({{edited, Verdict::Show, {}}}, 2000);
    EXPECT_EQ((*db)->loadPosts(10, Verdict::Show)[0].post.text, "edited");
}

TEST(Database, DecisionsOverrideAndStateIsKept) {
    const std::string path = freshDb("decisions");
    {
        auto db = Database::open(path);
        ASSERT_TRUE(db.ok());
        (*db)->savePosts({{post("a", 100), Verdict::Queue, {ReasonKind::Waiting, ""}}}, 1000);
        (*db)->saveDecision("a", Verdict::Show, 1001);
        (*db)->saveDecision("zzz", Verdict::Hide, 1002);
        (*db)->saveSourceState("mastodon #OpenCamp @ m.example", R"({"newest":{"OpenCamp":"99"}})");
    }
    auto db = Database::open(path); // reopened: a restart
    ASSERT_TRUE(db.ok());
    EXPECT_EQ((*db)->loadDecisions(), (std::vector<std::pair<std::string, Verdict>>{
                                          {"a", Verdict::Show}, {"zzz", Verdict::Hide}}));
    EXPECT_EQ((*db)->loadPosts(10, Verdict::Show).size(), 1u);
    EXPECT_EQ((*db)->sourceState("mastodon #OpenCamp @ m.example"),
              std::optional<std::string>(R"({"newest":{"OpenCamp":"99"}})"));
    EXPECT_FALSE((*db)->sourceState("unknown"));
}

// A fetch judged "b" hidden (the organiser had hidden it), then the organiser approved it, then
// the fetch wrote what it judged: the approval must still stand after a restart. "zzz" was
// decided before it ever arrived, and the fetch that brings it judged it by older rules.
TEST(Database, AFetchWrittenAfterADecisionKeepsTheDecision) {
    auto db = Database::open(freshDb("fetch-after-decision"));
    ASSERT_TRUE(db.ok()) << db.error();
    (*db)->savePosts({{post("b", 100), Verdict::Hide, {ReasonKind::HiddenByOrganiser, ""}}}, 1000);
    (*db)->saveDecision("b", Verdict::Show, 1001);
    (*db)->saveDecision("zzz", Verdict::Hide, 1002);
    (*db)->savePosts({{post("b", 100), Verdict::Hide, {ReasonKind::HiddenByOrganiser, ""}},
                      {post("zzz", 200), Verdict::Show, {}},
                      {post("c", 300), Verdict::Hide, {ReasonKind::BlockedWord, "spam"}}},
                     1003);
    const auto shown = (*db)->loadPosts(10, Verdict::Show);
    ASSERT_EQ(shown.size(), 1u);
    EXPECT_EQ(shown[0].post.id, "b");
    EXPECT_EQ(shown[0].reason, (Reason{ReasonKind::Approved, ""}));
    const auto hidden = (*db)->loadPosts(10, Verdict::Hide);
    ASSERT_EQ(hidden.size(), 2u);
    EXPECT_EQ(hidden[0].post.id, "c"); // undecided: the fetch's own verdict and reason
    EXPECT_EQ(hidden[0].reason, (Reason{ReasonKind::BlockedWord, "spam"}));
    EXPECT_EQ(hidden[1].post.id, "zzz");
    EXPECT_EQ(hidden[1].reason, (Reason{ReasonKind::HiddenByOrganiser, ""}));
}

TEST(Database, RetentionKeepsDecidedPosts) {
    auto db = Database::open(freshDb("retain"));
    ASSERT_TRUE(db.ok());
    std::vector<StoredPost> many;
    for (int i = 0; i < 50; ++i) {
        many.push_back({post("p" + std::to_string(i), 1000 + i), Verdict::Show, {}});
    }
    (*db)->savePosts(many, 2000);
    (*db)->saveDecision("p0", Verdict::Hide, 2001); // the oldest, but decided about
    const std::size_t removed = (*db)->retain(20, 1000000, 2002);
    EXPECT_EQ(removed, 29u);
    const auto left = (*db)->loadPosts(100);
    EXPECT_EQ(left.size(), 21u);
    EXPECT_EQ(left.back().post.id, "p0");
    // p30..p49 are left (and p0); older than 5 s at t=1040 are p30..p34.
    EXPECT_EQ((*db)->retain(100, 5, 1040), 5u);
}

TEST(Database, PinsAndAnnouncementsAreKept) {
    const std::string path = freshDb("organiser");
    {
        auto db = Database::open(path);
        ASSERT_TRUE(db.ok());
        (*db)->setPinned("mastodon:m.example:1", true);
        (*db)->setPinned("mastodon:m.example:2", true);
        (*db)->setPinned("mastodon:m.example:2", false);
        (*db)->saveAnnouncement({"lunch", "Lunch in the foyer", 1000, 2000});
        (*db)->saveAnnouncement({"lunch", "Lunch in the garden", 1000, 2000}); // edited
        (*db)->saveAnnouncement({"bye", "Thanks for coming", 0, 0});
        (*db)->deleteAnnouncement("bye");
    }
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok());
    EXPECT_EQ((*db)->loadPinned(), (std::vector<std::string>{"mastodon:m.example:1"}));
    const auto announcements = (*db)->loadAnnouncements();
    ASSERT_EQ(announcements.size(), 1u);
    EXPECT_EQ(announcements[0].text, "Lunch in the garden");
    EXPECT_EQ(announcements[0].until, 2000);
    // A pinned post outlives retention.
    (*db)->savePosts({{post("mastodon:m.example:1", 1), Verdict::Show, {}}}, 10);
    (*db)->retain(1, 5, 100000);
    EXPECT_EQ((*db)->loadPosts(10).size(), 1u);
}

TEST(Database, WipingTheEventLeavesNoneOfItsTextInTheFile) {
    const std::string path = freshDb("wipe");
    const std::string secret = "Meet me at the north jetty after the talks";
    {
        auto db = Database::open(path);
        ASSERT_TRUE(db.ok());
        std::vector<StoredPost> day;
        for (int i = 0; i < 300; ++i) { // a day of posts: about 700 KB
            Post p = post("mastodon:m.example:" + std::to_string(i), 100 + i);
            p.text = secret + " " + std::string(2000, 'x');
            day.push_back({p, Verdict::Show, {}});
        }
        (*db)->savePosts(day, 1000);
        (*db)->saveDecision(day[0].post.id, Verdict::Hide, 1001);
        (*db)->setPinned(day[1].post.id, true);
        (*db)->saveAnnouncement({"jetty", secret, 0, 0});
        (*db)->saveSourceState("mastodon #OpenCamp @ m.example", R"({"newest":{"OpenCamp":"7"}})");
        (*db)->wipeEvent();
        EXPECT_TRUE((*db)->loadPosts(10).empty());
        EXPECT_TRUE((*db)->loadDecisions().empty());
        EXPECT_TRUE((*db)->loadPinned().empty());
        EXPECT_TRUE((*db)->loadAnnouncements().empty());
        EXPECT_TRUE((*db)->sourceState("mastodon #OpenCamp @ m.example")); // not fetched again
    }
    // The file shrinks back (its pages are not merely marked free) and holds none of the text.
    EXPECT_LT(fs::file_size(path), 100'000u);
    EXPECT_EQ(test::readFile(path).find(secret), std::string::npos);
    // In memory there is no file to shrink; the rows still go.
    auto memory = Database::open(":memory:");
    ASSERT_TRUE(memory.ok());
    (*memory)->saveAnnouncement({"jetty", secret, 0, 0});
    (*memory)->wipeEvent();
    EXPECT_TRUE((*memory)->loadAnnouncements().empty());
}

TEST(Database, MigratesAnOlderSchema) {
    const std::string path = freshDb("migrate");
    {
        // A database as the first release wrote it: schema 1, with a post in it.
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(raw,
                               "CREATE TABLE posts (id TEXT PRIMARY KEY, created_at INTEGER NOT "
                               "NULL, first_seen INTEGER NOT NULL, json TEXT NOT NULL, verdict "
                               "INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '');"
                               "CREATE TABLE decisions (post_id TEXT PRIMARY KEY, verdict INTEGER "
                               "NOT NULL, decided_at INTEGER NOT NULL);"
                               "CREATE TABLE source_state (source TEXT PRIMARY KEY, state TEXT NOT "
                               "NULL);"
                               "INSERT INTO posts VALUES ('a', 5, 5, '{\"id\":\"a\"}', 0, '');"
                               // Reasons as words, the way builds before schema 4 kept them.
                               "INSERT INTO posts VALUES ('b', 6, 6, '{\"id\":\"b\"}', 2, "
                               "'author blocked by organiser: @troll@bad.example');"
                               "INSERT INTO posts VALUES ('c', 7, 7, '{\"id\":\"c\"}', 2, "
                               "'author''s server blocked by organiser: bad.example');"
                               "INSERT INTO posts VALUES ('d', 8, 8, '{\"id\":\"d\"}', 1, "
                               "'waiting for approval');"
                               "INSERT INTO posts VALUES ('e', 9, 9, '{\"id\":\"e\"}', 2, "
                               "'spam: a link with 9 hashtags');"
                               "PRAGMA user_version=1;",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK);
        sqlite3_close(raw);
    }
    auto db = Database::open(path);
    ASSERT_TRUE(db.ok()) << db.error();
    EXPECT_EQ((*db)->schemaVersion(), Database::kSchemaVersion);
    const auto all = (*db)->loadPosts(10);
    ASSERT_EQ(all.size(), 5u); // nothing lost on the way, newest first
    EXPECT_TRUE(all[4].reason.empty());
    // Old words become kinds where unblocking needs them, and read the same as before.
    EXPECT_EQ(all[3].reason, (Reason{ReasonKind::BlockedAuthor, "troll@bad.example"}));
    EXPECT_EQ(all[2].reason, (Reason{ReasonKind::BlockedServer, "bad.example"}));
    EXPECT_EQ(all[1].reason, (Reason{ReasonKind::Waiting, ""}));
    EXPECT_EQ(all[0].reason.kind, ReasonKind::Described);
    EXPECT_EQ(describe(all[0].reason), "spam: a link with 9 hashtags");
    EXPECT_EQ(describe(all[3].reason), "author blocked by organiser: @troll@bad.example");
    (*db)->setPinned("a", true);
    (*db)->saveDecision("e", Verdict::Show, 10);
    EXPECT_EQ((*db)->loadPost("e")->reason, (Reason{ReasonKind::Approved, ""}));
    EXPECT_EQ((*db)->loadPinned().size(), 1u);
}

TEST(Database, RefusesANewerSchema) {
    const std::string path = freshDb("newer");
    {
        sqlite3* raw = nullptr;
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        sqlite3_exec(raw, "PRAGMA user_version=99;", nullptr, nullptr, nullptr);
        sqlite3_close(raw);
    }
    const auto db = Database::open(path);
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.error().find("from a newer kiosk"), std::string::npos);
}

TEST(Database, RefusesWhatItCannotUse) {
    const std::string junk = test::writeTempFile("junk.db", std::string(4096, 'x'));
    EXPECT_FALSE(Database::open(junk).ok());
    EXPECT_FALSE(Database::open("/proc/kiosk-cannot-be-here/wall.db").ok());
}

// The child writes decisions one after another and reports each one after saveDecision
// returned; the parent kills it at a random moment. Every reported decision must be there.
TEST(Database, NoAcknowledgedDecisionIsLostToKillNine) {
    const std::string path = freshDb("kill");
    std::mt19937 rng(20260613);
    std::set<std::string> acknowledged;
    for (int round = 0; round < 12; ++round) {
        int fds[2];
        ASSERT_EQ(pipe(fds), 0);
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            close(fds[0]);
            auto db = Database::open(path);
            if (!db.ok()) {
                _exit(3);
            }
            for (int i = 0;; ++i) {
                const std::string id = "r" + std::to_string(round) + "-" + std::to_string(i);
                (*db)->savePosts({{post(id, i), Verdict::Queue, {ReasonKind::Waiting, ""}}}, i);
                (*db)->saveDecision(id, i % 2 ? Verdict::Show : Verdict::Hide, i);
                const std::string line = id + "\n";
                if (write(fds[1], line.data(), line.size()) < 0) {
                    _exit(4);
                }
            }
        }
        close(fds[1]);
        std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 150));
        kill(child, SIGKILL);
        int status = 0;
        waitpid(child, &status, 0);
        std::string acks;
        char buf[4096];
        for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) > 0;) {
            acks.append(buf, std::size_t(n));
        }
        close(fds[0]);
        // Each line is one write() under PIPE_BUF: it arrives whole or not at all.
        for (const auto& line : test::splitLines(acks)) {
            acknowledged.insert(line);
        }
        auto db = Database::open(path); // must open after every kill
        ASSERT_TRUE(db.ok()) << "round " << round << ": " << db.error();
        std::set<std::string> stored;
        for (const auto& [id, verdict] : (*db)->loadDecisions()) {
            stored.insert(id);
        }
        for (const auto& id : acknowledged) {
            ASSERT_TRUE(stored.count(id))
                << id << " was acknowledged but lost (round " << round << ")";
        }
    }
    EXPECT_GT(acknowledged.size(), 12u);
}

} // namespace
} // namespace kiosk
