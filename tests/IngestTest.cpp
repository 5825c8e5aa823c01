// The path from a poll to the wall, as the wall wires it: the fetch threads (LiveFetch) hand
// what a recorded Mastodon timeline holds to Ingest, which moderates, keeps every post with its
// typed reason in the database, and puts only what may show into the store. Restarting with
// new sources replaces the threads; a deletion at the source leaves store and database.
#include "kiosk/config/Config.h"
#include "kiosk/fetch/LiveFetch.h"
#include "kiosk/sources/Mastodon.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

namespace kiosk {
namespace {

constexpr UnixTime kNow = 1773482400; // 2026-03-14 10:00 UTC, after the recorded posts

Config configWith(const std::string& servers) {
    auto config = parseConfig(R"({"moderation": {"blocked_words": ["recording"]},
                                  "sources": [)" +
                                  servers + "]}",
                              "ingest.json");
    EXPECT_TRUE(config) << config.error();
    return std::move(config.value());
}

std::string mastodonAt(const std::string& server) {
    return R"({"type": "mastodon", "server": ")" + server + R"(", "hashtags": ["Camp"]})";
}

ClientMaker recorded() {
    return [](const std::atomic<bool>*) {
        auto http = std::make_unique<test::FakeHttpClient>();
        http->onJson("https://good.example/", 200,
                     test::readFile(test::fixture("mastodon/tag_timeline_mixed.json")));
        http->onJson("https://other.example/", 503, "<html>down for maintenance</html>");
        return http;
    };
}

bool inStore(PostStore& store, const std::string& id) {
    for (const auto& p : *store.snapshot()) {
        if (p.id == id) {
            return true;
        }
    }
    return false;
}

struct IngestRig {
    Config config = configWith(mastodonAt("https://good.example"));
    PostStore store{100};
    Moderator moderator{config.moderation};
    std::unique_ptr<Database> db = std::move(Database::open(":memory:").value());
    HostPolicy policy{systemClockMs(), systemSleepMs(), 0, 0, 4};
    int wakes = 0;
    Ingest ingest{{store, moderator, db.get(), nullptr, [] { return kNow; }, [this] { ++wakes; }}};
};

TEST(Ingest, ModeratesKeepsEverythingAndStoresWhatMayShow) {
    IngestRig rig;
    LiveFetch fetch(rig.config, rig.ingest, rig.policy, recorded(), [] { return kNow; });
    fetch.pollOnce();
    const std::string blocked = "mastodon:good.example:113900000000000101"; // "recording"
    const std::string kept = "mastodon:good.example:113899999999999050";
    EXPECT_FALSE(inStore(rig.store, blocked));
    EXPECT_TRUE(inStore(rig.store, kept));
    EXPECT_EQ(rig.wakes, 1); // one poll, one wake-up for the frame loop
    const auto stored = rig.db->loadPost(blocked);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->verdict, Verdict::Hide);
    EXPECT_EQ(stored->reason, (Reason{ReasonKind::BlockedWord, "recording"}));
    EXPECT_EQ(rig.db->loadPost(kept)->verdict, Verdict::Show);
    const std::string summary = rig.ingest.summary();
    EXPECT_NE(summary.find("1 hidden"), std::string::npos) << summary;
    EXPECT_NE(summary.find("hidden: blocked word: recording (1)"), std::string::npos) << summary;
    ASSERT_EQ(fetch.health().size(), 1u);
    EXPECT_TRUE(fetch.health()[0].ok);

    rig.ingest.deleted({kept});
    EXPECT_FALSE(inStore(rig.store, kept));
    EXPECT_FALSE(rig.db->loadPost(kept));
    EXPECT_EQ(rig.wakes, 2);
}

// In pre-moderation the organiser sees the pictures before approving: the avatars and first
// pictures of waiting posts are downloaded too; a hidden post's are not.
TEST(Ingest, PicturesOfWaitingPostsAreFetchedAndOfHiddenOnesNot) {
    auto config = parseConfig(R"({"moderation": {"mode": "pre", "blocked_words": ["recording"]},
        "sources": [{"type": "mastodon", "server": "https://good.example", "hashtags": ["Camp"]}]})",
                              "pre.json");
    ASSERT_TRUE(config) << config.error();
    const std::string png = test::readFile(test::fixture("golden/media/a072ba7095ad836b.png"));
    std::vector<std::string> asked;
    std::mutex askedMutex;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("kiosk-ingest-media-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    MediaCache cache(dir, {});
    MediaWorker media(
        cache,
        [&] {
            auto http = std::make_unique<test::FakeHttpClient>();
            http->on("https://", [&](const HttpRequest& r) {
                std::lock_guard lock(askedMutex);
                asked.push_back(r.url);
                HttpResponse res;
                res.status = 200;
                res.headers["content-type"] = "image/png";
                res.body = png;
                return res;
            });
            return http;
        },
        [] { return kNow; });
    PostStore store(100);
    Moderator moderator(config->moderation);
    Ingest ingest({store, moderator, nullptr, &media, [] { return kNow; }, nullptr});
    ingest.posts(
        std::move(parseMastodon(test::readFile(test::fixture("mastodon/tag_timeline_mixed.json")),
                                {"good.example", kNow})
                      ->posts));
    media.drain();
    EXPECT_TRUE(store.snapshot()->empty()); // nothing shows before approval
    const auto was = [&](const std::string& url) {
        return std::find(asked.begin(), asked.end(), url) != asked.end();
    };
    EXPECT_TRUE(was("https://cdn.fosstodon.example/cache/accounts/avatars/anke_static.png"));
    EXPECT_TRUE(was("https://cdn.fosstodon.example/media/quiz.jpg"));
    EXPECT_FALSE(was("https://cdn.fosstodon.example/accounts/avatars/greta.png")); // hidden
    EXPECT_TRUE(cache.peek("https://cdn.fosstodon.example/media/quiz.jpg"));
    std::filesystem::remove_all(dir);
}

TEST(LiveFetch, RestartReplacesTheSourcesAndKeepsTheSameIngest) {
    IngestRig rig;
    LiveFetch fetch(rig.config, rig.ingest, rig.policy, recorded(), [] { return kNow; });
    fetch.restart(
        configWith(mastodonAt("https://other.example") + "," + mastodonAt("https://good.example")));
    // The new threads poll at once: the good server's posts arrive, the other is reported.
    for (int i = 0; i < 200 && rig.store.snapshot()->empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_FALSE(rig.store.snapshot()->empty());
    const auto health = fetch.health();
    ASSERT_EQ(health.size(), 2u);
    EXPECT_NE(health[0].label.find("other.example"), std::string::npos);
    fetch.stop();
    EXPECT_TRUE(fetch.health().empty());
}

} // namespace
} // namespace kiosk
