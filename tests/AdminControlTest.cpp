// What the organiser's commands do to the wall, over real HTTP on 127.0.0.1: status and the
// preview, posts by state with search, approve / hide / pin, blocks that take posts off the
// wall, announcements, hashtags, sources and moderation written back to the config file (with
// the previous one kept) and loading cleanly again, as after a restart.
#include "AdminHarness.h"

#include "kiosk/config/ConfigFile.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace kiosk::test {
namespace {

using nlohmann::json;
using AdminControlTest = AdminHarness;

bool inStore(const PostStore& store, const std::string& id) {
    for (const auto& p : *store.snapshot()) {
        if (p.id == id) {
            return true;
        }
    }
    return false;
}

TEST_F(AdminControlTest, StatusShowsWhatIsOnScreenNextAndTheSources) {
    live->show({{shown}, {queued}, now});
    const json s = send("GET", "/api/status", "", 200);
    EXPECT_EQ(s["event"], "Harbour Camp");
    ASSERT_EQ(s["current"].size(), 1u);
    EXPECT_EQ(s["current"][0]["id"], shown.id);
    EXPECT_EQ(s["current"][0]["text"], shown.text);
    ASSERT_EQ(s["up_next"].size(), 1u);
    // Markup stays text in the JSON; the page puts it in with textContent.
    EXPECT_EQ(s["up_next"][0]["name"], queued.author.name);
    EXPECT_EQ(s["moderation"]["mode"], "pre");
    EXPECT_EQ(s["moderation"]["panic"], "off");
    EXPECT_EQ(s["counts"]["queued"], 1);
    ASSERT_EQ(s["queue"].size(), 1u);
    EXPECT_EQ(s["queue"][0]["id"], queued.id);
    EXPECT_EQ(s["counts"]["shown"], 1);
    EXPECT_EQ(s["counts"]["hidden"], 1);
    // The wall's own fetch threads polled once without a network: both sources say so.
    ASSERT_EQ(s["sources"].size(), 2u);
    EXPECT_NE(s["sources"][0]["label"].get<std::string>().find("social.harbour.example"),
              std::string::npos);
    EXPECT_NE(s["sources"][1]["label"].get<std::string>().find("blog.harbour.example"),
              std::string::npos);
    for (const auto& source : s["sources"]) {
        EXPECT_FALSE(source["ok"].get<bool>());
        EXPECT_NE(source["last_error"].get<std::string>().find("no network in this test"),
                  std::string::npos)
            << source.dump();
    }
}

TEST_F(AdminControlTest, AFullDiskIsOnTheOrganisersPageUntilSpaceComesBack) {
    EXPECT_FALSE(send("GET", "/api/status", "", 200)["disk_full"].get<bool>());
    db->capPages(1); // SQLITE_FULL from here, as on a full SD card
    Post big = shown;
    big.id = "mastodon:social.harbour.example:4242";
    big.text = std::string(20000, 'x');
    db->savePosts({{big, Verdict::Show, {}}}, now);
    EXPECT_TRUE(send("GET", "/api/status", "", 200)["disk_full"].get<bool>());
    db->capPages(1 << 20); // space again: the organiser's next decision is saved
    send("POST", "/api/posts/hide", R"({"id":")" + shown.id + R"("})", 200);
    EXPECT_FALSE(send("GET", "/api/status", "", 200)["disk_full"].get<bool>());
}

TEST_F(AdminControlTest, TheQueueShowsTheAvatarTheWallHasFromTheWallItself) {
    const json q = send("GET", "/api/posts?state=queued", "", 200);
    ASSERT_EQ(q["posts"].size(), 1u);
    const std::string avatar = q["posts"][0]["avatar"];
    EXPECT_EQ(avatar, "/api/media/" + contentId(kQueuedAvatar)); // same origin: the CSP holds
    EXPECT_EQ(q["posts"][0]["picture"], "");                     // no picture attached
    auto c = client();
    auto image = c.Get(avatar.c_str(), bearer());
    ASSERT_TRUE(image);
    EXPECT_EQ(image->status, 200);
    EXPECT_EQ(image->get_header_value("Content-Type"), "image/png");
    EXPECT_EQ(image->body.substr(1, 3), "PNG");
    // Only keys of cached pictures reach the disk, and only for the organiser.
    EXPECT_EQ(c.Get("/api/media/0123456789abcdef", bearer())->status, 404);
    EXPECT_EQ(c.Get("/api/media/..%2F..%2Fetc%2Fpasswd", bearer())->status, 400);
    EXPECT_EQ(c.Get("/api/media/zz", bearer())->status, 400);
    EXPECT_EQ(c.Get(avatar.c_str())->status, 401);
}

TEST_F(AdminControlTest, AfterTheEventEverythingIsDeletedButOnlyWhenSpelledOut) {
    const std::string configBefore = readFile(configPath);
    const auto media = std::filesystem::path(configPath).parent_path() / "admin-media";
    json refused = send("POST", "/api/wipe", R"({"confirm":"yes"})", 400);
    EXPECT_NE(refused.value("error", "").find("delete everything"), std::string::npos);
    EXPECT_EQ(db->countPosts(Verdict::Queue), 1u); // nothing lost to a wrong tap
    send("POST", "/api/posts/approve", R"({"id":")" + queued.id + R"("})", 200);
    send("POST", "/api/announcements", R"({"text":"Lost and found at the info desk"})", 201);
    const json done = send("POST", "/api/wipe", R"({"confirm":"delete everything"})", 200);
    EXPECT_EQ(done["deleted_pictures"], 1);
    for (Verdict v : {Verdict::Show, Verdict::Queue, Verdict::Hide}) {
        EXPECT_EQ(db->countPosts(v), 0u);
    }
    EXPECT_TRUE(db->loadDecisions().empty());
    EXPECT_TRUE(db->loadAnnouncements().empty());
    EXPECT_TRUE(std::filesystem::is_empty(media));
    EXPECT_FALSE(inStore(store(), shown.id));
    EXPECT_TRUE(inStore(store(), "announcement:welcome")); // the config file's own stays
    EXPECT_EQ(store().snapshot()->size(), 1u);
    EXPECT_EQ(readFile(configPath), configBefore); // the config is kept as it was
}

TEST_F(AdminControlTest, PostsByStateWithSearch) {
    json q = send("GET", "/api/posts?state=queued", "", 200);
    ASSERT_EQ(q["posts"].size(), 1u);
    EXPECT_EQ(q["posts"][0]["id"], queued.id);
    EXPECT_EQ(q["posts"][0]["reason"], "waiting for approval");
    json h = send("GET", "/api/posts?state=hidden", "", 200);
    ASSERT_EQ(h["posts"].size(), 1u);
    EXPECT_NE(h["posts"][0]["reason"].get<std::string>().find("blocked"), std::string::npos);
    db->savePosts({{adminPost("104", "Björn Ek", "@bjorn@social.harbour.example",
                              "Harbour swim tomorrow?", now),
                    Verdict::Show,
                    {}}},
                  now);
    json found = send("GET", "/api/posts?state=shown&q=SUNRISE", "", 200);
    ASSERT_EQ(found["posts"].size(), 1u); // any case, text
    EXPECT_EQ(found["posts"][0]["id"], shown.id);
    json byName = send("GET", "/api/posts?state=shown&q=bjorn", "", 200);
    ASSERT_EQ(byName["posts"].size(), 1u); // accents folded, handle too
    json none = send("GET", "/api/posts?state=shown&q=volcano", "", 200);
    EXPECT_TRUE(none["posts"].empty());
    json bad = send("GET", "/api/posts?state=deleted", "", 400);
    EXPECT_NE(bad["error"].get<std::string>().find("state"), std::string::npos);
}

TEST_F(AdminControlTest, ApprovingPutsAQueuedPostOnTheWallDurably) {
    const int before = wakes;
    send("POST", "/api/posts/approve", R"({"id":")" + queued.id + "\"}", 200);
    EXPECT_TRUE(inStore(store(), queued.id));
    EXPECT_TRUE(moderator->mayShowNow(queued));
    EXPECT_EQ(db->loadPost(queued.id)->verdict, Verdict::Show);
    const auto decisions = db->loadDecisions();
    ASSERT_EQ(decisions.size(), 1u);
    EXPECT_EQ(decisions[0].second, Verdict::Show);
    EXPECT_GT(wakes.load(), before); // the frame loop is told at once
}

TEST_F(AdminControlTest, HidingTakesAPostOffTheWallAndKeepsItOff) {
    send("POST", "/api/posts/hide", R"({"id":")" + shown.id + "\"}", 200);
    EXPECT_FALSE(inStore(store(), shown.id));
    EXPECT_FALSE(moderator->mayShowNow(shown));
    EXPECT_EQ(db->loadPost(shown.id)->verdict, Verdict::Hide);
    // Fetched again later, it stays hidden.
    EXPECT_EQ(moderator->judge(shown, now).verdict, Verdict::Hide);
    const json announcement = send("POST", "/api/posts/hide", R"({"id":"announcement:welcome"})",
                                   400); // announcements are deleted, not hidden
    EXPECT_NE(announcement["error"].get<std::string>().find("delete"), std::string::npos);
}

TEST_F(AdminControlTest, PinningRecursAndApprovesAQueuedPost) {
    send("POST", "/api/posts/pin", R"({"id":")" + queued.id + "\"}", 200);
    auto pinned = live->config()->pinned;
    EXPECT_NE(std::find(pinned.begin(), pinned.end(), queued.id), pinned.end());
    EXPECT_EQ(db->loadPinned(), std::vector<std::string>{queued.id});
    EXPECT_TRUE(inStore(store(), queued.id));
    send("POST", "/api/posts/unpin", R"({"id":")" + queued.id + "\"}", 200);
    EXPECT_TRUE(live->config()->pinned.empty());
    EXPECT_TRUE(db->loadPinned().empty());
}

TEST_F(AdminControlTest, BlockingAnAuthorTakesTheirPostsOffAndIsWrittenBack) {
    const json b = send("POST", "/api/blocks",
                        R"({"kind":"author","value":"Ana@Social.Harbour.Example"})", 200);
    EXPECT_NE(b["authors"].dump().find("@ana@social.harbour.example"), std::string::npos);
    EXPECT_FALSE(inStore(store(), shown.id));
    EXPECT_EQ(db->loadPost(shown.id)->verdict, Verdict::Hide);
    EXPECT_TRUE(std::filesystem::exists(configPath + ".bak"));
    EXPECT_EQ(readFile(configPath + ".bak"), kAdminConfig); // the previous file, as it was
    auto reloaded = loadConfigFile(configPath);
    ASSERT_TRUE(reloaded) << reloaded.error();
    EXPECT_EQ(reloaded->moderation.blockedAuthors.size(), 2u);
    // The rest of the file is untouched: the source's secret is still there.
    EXPECT_NE(readFile(configPath).find("mastodon-secret-token"), std::string::npos);

    send("POST", "/api/blocks/remove", R"({"kind":"author","value":"@ana@social.harbour.example"})",
         200);
    EXPECT_EQ(loadConfigFile(configPath)->moderation.blockedAuthors.size(), 1u);
    // Unblocked, her post is judged again: pre-moderation queues it for the organiser.
    EXPECT_EQ(db->loadPost(shown.id)->verdict, Verdict::Queue);
    // A post the organiser hid by hand is not brought back by an unblock.
    send("POST", "/api/posts/hide", R"({"id":")" + queued.id + "\"}", 200);
    send("POST", "/api/blocks", R"({"kind":"author","value":"@mallory@social.harbour.example"})",
         200);
    send("POST", "/api/blocks/remove",
         R"({"kind":"author","value":"@mallory@social.harbour.example"})", 200);
    EXPECT_EQ(db->loadPost(queued.id)->verdict, Verdict::Hide);
    const json d = send("POST", "/api/blocks", R"({"kind":"domain","value":"junk.example"})", 200);
    EXPECT_EQ(d["domains"], json::array({"junk.example"}));
}

TEST_F(AdminControlTest, AnnouncementsAreAddedListedAndDeleted) {
    const json added =
        send("POST", "/api/announcements",
             R"({"text":"Dinner at the big tent at 19:00","until":"2026-07-14T20:00:00Z"})", 201);
    const std::string id = added["id"];
    EXPECT_TRUE(inStore(store(), "announcement:" + id));
    const json list = send("GET", "/api/announcements", "", 200);
    ASSERT_EQ(list["announcements"].size(), 2u);
    EXPECT_EQ(list["announcements"][0]["id"], "welcome");
    EXPECT_TRUE(list["announcements"][0]["in_config_file"].get<bool>());
    EXPECT_FALSE(list["announcements"][1]["in_config_file"].get<bool>()); // the page's own
    EXPECT_EQ(list["announcements"][1]["until"], "2026-07-14T20:00:00Z");
    EXPECT_EQ(db->loadAnnouncements().size(), 1u);
    send("POST", "/api/announcements/delete", R"({"id":")" + id + "\"}", 200);
    EXPECT_FALSE(inStore(store(), "announcement:" + id));
    EXPECT_TRUE(db->loadAnnouncements().empty());
    // One from the config file goes from the wall and from the file; the .bak still has it.
    ASSERT_TRUE(inStore(store(), "announcement:welcome"));
    const json gone = send("POST", "/api/announcements/delete", R"({"id":"welcome"})", 200);
    EXPECT_EQ(gone["config_file"], configPath);
    EXPECT_FALSE(inStore(store(), "announcement:welcome"));
    EXPECT_TRUE(json::parse(readFile(configPath))["announcements"].empty());
    EXPECT_EQ(json::parse(readFile(configPath + ".bak"))["announcements"][0]["id"], "welcome");
    EXPECT_TRUE(send("GET", "/api/announcements", "", 200)["announcements"].empty());
    send("POST", "/api/announcements/delete", R"({"id":"welcome"})", 404);
    send("POST", "/api/announcements",
         R"({"text":"Backwards","from":"2026-07-14T20:00:00Z","until":"2026-07-14T19:00:00Z"})",
         400);
}

TEST_F(AdminControlTest, HashtagsChangeLiveAndInTheFile) {
    const json r =
        send("PUT", "/api/hashtags", R"({"hashtags":["#HarbourCamp26","harbour"]})", 200);
    EXPECT_EQ(r["hashtags"], json::array({"HarbourCamp26", "harbour"}));
    EXPECT_EQ(live->config()->event.hashtags,
              (std::vector<std::string>{"HarbourCamp26", "harbour"}));
    EXPECT_EQ(sourcesPolled(), 2u); // the sources restarted with the new tags
    auto reloaded = loadConfigFile(configPath);
    ASSERT_TRUE(reloaded) << reloaded.error();
    EXPECT_EQ(reloaded->event.hashtags, (std::vector<std::string>{"HarbourCamp26", "harbour"}));
    const auto doc = json::parse(readFile(configPath));
    EXPECT_EQ(doc["sources"][0]["hashtags"], json::array({"HarbourCamp26", "harbour"}));
    EXPECT_FALSE(doc["sources"][1].contains("hashtags")); // a blog has none to follow
    EXPECT_EQ(send("GET", "/api/hashtags", "", 200)["hashtags"],
              json::array({"HarbourCamp26", "harbour"}));
}

TEST_F(AdminControlTest, SourcesHideSecretsAndKeepThemWhenSentBack) {
    json s = send("GET", "/api/sources", "", 200);
    ASSERT_EQ(s["sources"].size(), 2u);
    EXPECT_EQ(s["sources"][0]["token"], kHiddenSecret);
    EXPECT_EQ(s.dump().find("mastodon-secret-token"), std::string::npos);
    json list = s["sources"];
    list.push_back({{"type", "rss"}, {"url", "https://news.harbour.example/feed.xml"}});
    send("PUT", "/api/sources", json{{"sources", list}}.dump(), 200);
    EXPECT_EQ(sourcesPolled(), 3u);
    auto reloaded = loadConfigFile(configPath);
    ASSERT_TRUE(reloaded) << reloaded.error();
    EXPECT_EQ(reloaded->sources.size(), 3u);
    EXPECT_NE(readFile(configPath).find("mastodon-secret-token"), std::string::npos);

    // A bad source is refused with its field named, and the file stays as it was.
    const std::string before = readFile(configPath);
    list[2]["type"] = "myspace";
    const json bad = send("PUT", "/api/sources", json{{"sources", list}}.dump(), 400);
    EXPECT_NE(bad["error"].get<std::string>().find("sources[2].type"), std::string::npos);
    EXPECT_EQ(readFile(configPath), before);
    // A hidden secret for a source that never had one cannot be kept.
    json fresh = json::array({{{"type", "mastodon"},
                               {"server", "https://other.example"},
                               {"hashtags", {"x"}},
                               {"token", kHiddenSecret}}});
    const json noSecret = send("PUT", "/api/sources", json{{"sources", fresh}}.dump(), 400);
    EXPECT_NE(noSecret["error"].get<std::string>().find("sources[0].token"), std::string::npos);
}

TEST_F(AdminControlTest, PanicAndModeApplyAtOnceAndSurviveARestart) {
    const auto version = live->version();
    const json r = send("PUT", "/api/moderation", R"({"panic":"announcements"})", 200);
    EXPECT_EQ(r["panic"], "announcements");
    EXPECT_GT(live->version(), version);
    EXPECT_FALSE(moderator->mayShowNow(shown));
    EXPECT_EQ(loadConfigFile(configPath)->moderation.panic, Panic::AnnouncementsOnly);
    send("PUT", "/api/moderation", R"({"panic":"off","mode":"automatic"})", 200);
    EXPECT_TRUE(moderator->mayShowNow(shown));
    const std::string before = readFile(configPath);
    const json bad = send("PUT", "/api/moderation", R"({"mode":"strict"})", 400);
    EXPECT_NE(bad["error"].get<std::string>().find("moderation.mode"), std::string::npos);
    EXPECT_EQ(readFile(configPath), before);
    // What `kiosk check` says about the file the page wrote.
    const auto check = runKiosk({"check", "--config", configPath});
    EXPECT_EQ(check.exitCode, 0) << check.err;
    auto restarted = loadConfigFile(configPath);
    ASSERT_TRUE(restarted);
    EXPECT_EQ(restarted->moderation.mode, ModerationMode::Automatic);
    EXPECT_EQ(restarted->moderation.panic, Panic::Off);
}

TEST(ConfigFile, ReplacesAtomicallyAndKeepsThePrevious) {
    const std::string path = writeTempFile("atomic.json", R"({"event": {"name": "Old"}})");
    auto updated =
        rewriteConfigFile(path, [](nlohmann::ordered_json& doc) { doc["event"]["name"] = "New"; });
    ASSERT_TRUE(updated) << updated.error();
    EXPECT_EQ(updated->event.name, "New");
    EXPECT_EQ(readFile(path + ".bak"), R"({"event": {"name": "Old"}})");
    EXPECT_FALSE(std::filesystem::exists(path + ".new"));
    auto refused = rewriteConfigFile(
        path, [](nlohmann::ordered_json& doc) { doc["display"]["layout"] = "carousel"; });
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("display.layout"), std::string::npos);
    EXPECT_EQ(loadConfigFile(path)->event.name, "New");
}

} // namespace
} // namespace kiosk::test
