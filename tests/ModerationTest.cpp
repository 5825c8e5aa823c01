// Moderation tables: every filter, the three modes, panic, the organiser's decisions, spam
// heuristics and cross-posts, each with the reason it gives.
#include "kiosk/model/Moderation.h"
#include "kiosk/config/Config.h"
#include "kiosk/text/TextFold.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

constexpr UnixTime kNow = 1781343000;

Post post(const std::string& id, const std::string& text,
          const std::string& handle = "@ana@m.example", const std::string& name = "Ana") {
    Post p;
    p.id = id;
    p.source = "mastodon";
    p.createdAt = kNow;
    p.author.name = name;
    p.author.handle = handle;
    p.text = text;
    return p;
}

TEST(TextFold, CaseAccentsAndWholeWords) {
    EXPECT_EQ(foldText("Ça  VA\nTrès Bien"), "ca va tres bien");
    EXPECT_EQ(foldText("STRASSE Straße"), "strasse strasse");
    EXPECT_TRUE(containsWord(foldText("What the FÜCK is this"), foldText("fuck")));
    EXPECT_FALSE(containsWord(foldText("Scunthorpe United"), foldText("cunt")));
    EXPECT_FALSE(containsWord(foldText("classic assessment"), foldText("ass")));
    EXPECT_TRUE(containsWord(foldText("please kill\nyourself now"), foldText("kill yourself")));
    EXPECT_TRUE(containsWord(foldText("#fuck"), foldText("fuck")));
}

struct FilterCase {
    const char* name;
    ModerationRules rules;
    Post post;
    Verdict verdict;
    const char* reason;
};
void PrintTo(const FilterCase& row, std::ostream* os) {
    *os << row.name;
}

ModerationRules with(std::function<void(ModerationRules&)> f) {
    ModerationRules r;
    f(r);
    return r;
}

Post edited(Post p, std::function<void(Post&)> f) {
    f(p);
    return p;
}

class Filters : public ::testing::TestWithParam<FilterCase> {};

TEST_P(Filters, GiveTheirVerdictAndReason) {
    Moderator m(GetParam().rules);
    const Decision d = m.decide(GetParam().post, kNow);
    EXPECT_EQ(d.verdict, GetParam().verdict) << describe(d.reason);
    EXPECT_EQ(describe(d.reason), GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Filters,
    ::testing::Values(
        FilterCase{"ordinary_post", {}, post("1", "Great talk!"), Verdict::Show, ""},
        FilterCase{"blocked_word_folded", with([](auto& r) { r.blockedWords = {"Dummkopf"}; }),
                   post("1", "Was für ein DÜMMKOPF"), Verdict::Hide, "blocked word: Dummkopf"},
        FilterCase{"blocked_word_in_name", with([](auto& r) { r.blockedWords = {"spam king"}; }),
                   post("1", "hello", "@x@m.example", "Spam King"), Verdict::Hide,
                   "blocked word: spam king"},
        FilterCase{"blocked_word_not_inside_words", with([](auto& r) { r.blockedWords = {"ass"}; }),
                   post("1", "A classic assessment"), Verdict::Show, ""},
        FilterCase{"blocked_author",
                   with([](auto& r) { r.blockedAuthors = {"@Troll@bad.example"}; }),
                   post("1", "hi", "@troll@bad.example"), Verdict::Hide,
                   "author blocked by organiser: @troll@bad.example"},
        FilterCase{"blocked_server", with([](auto& r) { r.blockedDomains = {"bad.example"}; }),
                   post("1", "hi", "@anyone@eu.bad.example"), Verdict::Hide,
                   "author's server blocked by organiser: bad.example"},
        FilterCase{
            "blocked_link", with([](auto& r) { r.blockedDomains = {"scam.example"}; }),
            edited(post("1", "look"), [](Post& p) { p.links = {"https://www.scam.example/win"}; }),
            Verdict::Hide, "links to a blocked site: scam.example"},
        FilterCase{"hide_replies", with([](auto& r) { r.hideReplies = true; }),
                   edited(post("1", "agreed"), [](Post& p) { p.isReply = true; }), Verdict::Hide,
                   "replies are not shown"},
        FilterCase{"hide_reposts", with([](auto& r) { r.hideReposts = true; }),
                   edited(post("1", "boosted"), [](Post& p) { p.isRepost = true; }), Verdict::Hide,
                   "reposts are not shown"},
        FilterCase{"hide_sensitive", with([](auto& r) { r.hideSensitive = true; }),
                   edited(post("1", "x"), [](Post& p) { p.spoiler = "spoilers"; }), Verdict::Hide,
                   "sensitive posts are not shown"},
        FilterCase{"hide_bots", with([](auto& r) { r.hideBots = true; }),
                   edited(post("1", "beep"), [](Post& p) { p.author.bot = true; }), Verdict::Hide,
                   "bot accounts are not shown"},
        FilterCase{"language_allowlist", with([](auto& r) {
                       r.languages = {"en", "de"};
                   }),
                   edited(post("1", "bonjour"), [](Post& p) { p.lang = "fr"; }), Verdict::Hide,
                   "language not on the list: fr"},
        FilterCase{"language_with_region", with([](auto& r) { r.languages = {"en"}; }),
                   edited(post("1", "hello"), [](Post& p) { p.lang = "en-US"; }), Verdict::Show,
                   ""},
        FilterCase{"link_with_many_tags",
                   {},
                   edited(post("1", "Buy now #a #b #c #d #e #f #g https://shop.example"),
                          [](Post& p) {
                              p.links = {"https://shop.example"};
                              p.hashtags = {"a", "b", "c", "d", "e", "f", "g"};
                          }),
                   Verdict::Hide,
                   "spam: a link with 7 hashtags"},
        FilterCase{"only_tags_and_mentions",
                   {},
                   post("1", "#OpenCamp @someone #wall  https://x.example"),
                   Verdict::Hide,
                   "spam: nothing but hashtags, mentions and links"},
        FilterCase{"tags_with_a_picture_are_fine",
                   {},
                   edited(post("1", "#OpenCamp"),
                          [](Post& p) {
                              p.media = {{"https://m.example/a.jpg", "", 0, 0, "image"}};
                          }),
                   Verdict::Show,
                   ""},
        FilterCase{"pre_moderation_queues", with([](auto& r) { r.mode = ModerationMode::Pre; }),
                   post("1", "hello"), Verdict::Queue, "waiting for approval"},
        FilterCase{"pre_moderation_trusts_authors", with([](auto& r) {
                       r.mode = ModerationMode::Pre;
                       r.trustedAuthors = {"ana@m.example"};
                   }),
                   post("1", "hello"), Verdict::Show, ""},
        FilterCase{"pre_moderation_trusts_domains", with([](auto& r) {
                       r.mode = ModerationMode::Pre;
                       r.trustedDomains = {"m.example"};
                   }),
                   post("1", "hello"), Verdict::Show, ""},
        FilterCase{"trusted_still_meets_blocked_words", with([](auto& r) {
                       r.mode = ModerationMode::Pre;
                       r.trustedDomains = {"m.example"};
                       r.blockedWords = {"dummkopf"};
                   }),
                   post("1", "dummkopf"), Verdict::Hide, "blocked word: dummkopf"},
        FilterCase{"post_moderation_shows", with([](auto& r) { r.mode = ModerationMode::Post; }),
                   post("1", "hello"), Verdict::Show, ""},
        FilterCase{"panic_announcements_only", with([](auto& r) {
                       r.panic = Panic::AnnouncementsOnly;
                       r.trustedAuthors = {"ana@m.example"};
                   }),
                   post("1", "hello"), Verdict::Hide, "panic: only announcements are shown"},
        FilterCase{"panic_trusted_only_hides_others",
                   with([](auto& r) { r.panic = Panic::TrustedOnly; }), post("1", "hello"),
                   Verdict::Hide, "panic: only trusted authors are shown"},
        FilterCase{"panic_trusted_only_shows_trusted", with([](auto& r) {
                       r.panic = Panic::TrustedOnly;
                       r.trustedAuthors = {"@ana@m.example"};
                   }),
                   post("1", "hello"), Verdict::Show, ""}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Moderator, AnAuthorWhoAsksNotToBeOnWallsNeverShowsEvenApproved) {
    Moderator m;
    Post p = post("7", "Lovely sunset", "@quiet@m.example", "Quiet One");
    p.author.noWall = true;
    m.approve(p.id);
    const Decision d = m.decide(p, kNow);
    EXPECT_EQ(d.verdict, Verdict::Hide);
    EXPECT_EQ(d.reason, (Reason{ReasonKind::OptedOut, "quiet@m.example"}));
    EXPECT_EQ(describe(d.reason), "the author asks not to be on walls (#nowall): quiet@m.example");
    EXPECT_FALSE(m.mayShowNow(p));
}

TEST(Moderator, OrganiserDecisionsComeFirstButNotBeforePanic) {
    ModerationRules rules;
    rules.mode = ModerationMode::Pre;
    rules.blockedWords = {"dummkopf"};
    Moderator m(rules);
    EXPECT_EQ(m.decide(post("1", "hello"), kNow).verdict, Verdict::Queue);
    m.approve("1");
    EXPECT_EQ(describe(m.decide(post("1", "hello"), kNow).reason), "approved by organiser");
    m.hide("2");
    EXPECT_EQ(describe(m.decide(post("2", "lovely"), kNow).reason), "hidden by organiser");
    rules.panic = Panic::AnnouncementsOnly;
    m.setRules(rules);
    EXPECT_EQ(m.decide(post("1", "hello"), kNow).verdict, Verdict::Hide);
}

TEST(Moderator, PanicClearsWhatIsAlreadyOnTheWall) {
    ModerationRules rules;
    rules.trustedAuthors = {"@team@camp.example"};
    Moderator m(rules);
    Post announcement = post("announcement:lunch", "Lunch!");
    announcement.source = "announcement";
    const Post team = post("2", "Welcome", "@team@camp.example");
    const Post guest = post("3", "Hello");
    EXPECT_TRUE(m.mayShowNow(guest));
    rules.panic = Panic::AnnouncementsOnly;
    m.setRules(rules);
    EXPECT_FALSE(m.mayShowNow(guest));
    EXPECT_FALSE(m.mayShowNow(team));
    EXPECT_TRUE(m.mayShowNow(announcement));
    rules.panic = Panic::TrustedOnly;
    m.setRules(rules);
    EXPECT_TRUE(m.mayShowNow(team));
    EXPECT_FALSE(m.mayShowNow(guest));
    rules.panic = Panic::Off;
    m.setRules(rules);
    m.hide("3");
    EXPECT_FALSE(m.mayShowNow(guest)); // an organiser's hide takes it off the wall at once
}

TEST(Moderator, RateCapPerAuthorButPollingAgainIsNotPostingAgain) {
    ModerationRules rules;
    rules.maxPostsPerAuthorPerHour = 3;
    Moderator m(rules);
    for (int poll = 0; poll < 5; ++poll) {
        for (int i = 0; i < 3; ++i) {
            EXPECT_EQ(m.decide(post(std::to_string(i), "post number " + std::to_string(i)),
                               kNow + poll * 30)
                          .verdict,
                      Verdict::Show);
        }
    }
    const Decision fourth = m.decide(post("9", "and a fourth one"), kNow + 200);
    EXPECT_EQ(fourth.verdict, Verdict::Hide);
    EXPECT_EQ(describe(fourth.reason), "more than 3 posts an hour from @ana@m.example");
    EXPECT_EQ(m.decide(post("10", "an hour later"), kNow + 3700).verdict, Verdict::Show);
}

TEST(Moderator, TheSameTextFromManyAccountsIsACampaign) {
    Moderator m;
    const std::string text = "Visit my totally legit crypto giveaway today";
    EXPECT_EQ(m.decide(post("1", text, "@a@x.example", "A"), kNow).verdict, Verdict::Show);
    EXPECT_EQ(m.decide(post("2", text, "@b@y.example", "B"), kNow + 5).verdict, Verdict::Show);
    const Decision third = m.decide(post("3", text + " #tag", "@c@z.example", "C"), kNow + 9);
    EXPECT_EQ(third.verdict, Verdict::Hide);
    EXPECT_EQ(describe(third.reason), "spam: the same text from 3 accounts");
}

TEST(Moderator, ACrossPostShowsOnce) {
    Moderator m;
    Post mastodon = post("mastodon:m.example:1", "Slides of my talk are up at the usual place",
                         "@ana@m.example", "Ana Souza");
    Post bluesky = post("bluesky:at://did:plc:ana/app.bsky.feed.post/1",
                        "Slides of my talk are up at the usual place https://slides.example/ana",
                        "@ana.bsky.social", "Ana Souza");
    EXPECT_EQ(m.decide(mastodon, kNow).verdict, Verdict::Show);
    const Decision d = m.decide(bluesky, kNow + 60);
    EXPECT_EQ(d.verdict, Verdict::Hide);
    EXPECT_EQ(describe(d.reason), "already shown from another network: mastodon:m.example:1");
    EXPECT_EQ(m.decide(mastodon, kNow + 90).verdict, Verdict::Show); // the original stays
}

TEST(ModerationConfig, ReadsModesListsAndWordFiles) {
    const std::string words =
        test::writeTempFile("words.txt", "# a comment\n\nDummkopf\n  spam king \n");
    auto config = parseConfig(R"({"moderation": {"mode": "pre", "panic": "trusted",
        "blocked_words": ["extra"], "blocked_words_files": [")" +
                                  words + R"("], "trusted_domains": ["camp.example"],
        "hide_bots": true, "languages": ["en"]}})",
                              "m.json");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_EQ(config->moderation.mode, ModerationMode::Pre);
    EXPECT_EQ(config->moderation.panic, Panic::TrustedOnly);
    EXPECT_EQ(config->moderation.blockedWords,
              (std::vector<std::string>{"extra", "Dummkopf", "spam king"}));
    EXPECT_TRUE(config->moderation.hideBots);
    const auto bad = parseConfig(R"({"moderation": {"mode": "strict",
        "blocked_words_files": ["/nonexistent/words.txt"]}})",
                                 "m.json");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("moderation.mode: expected \"automatic\", \"pre\" or \"post\""),
              std::string::npos);
    EXPECT_NE(bad.error().find("moderation.blocked_words_files: /nonexistent/words.txt: cannot "
                               "open the word list"),
              std::string::npos);
}

TEST(ScheduleConfig, RulesPinsAndAnnouncements) {
    auto config = parseConfig(R"({"event": {"name": "Camp"},
        "schedule": {"author_spacing": 5, "pin_every": 7, "source_weights": {"bluesky": 2},
                     "max_post_age_hours": 12},
        "pinned": ["mastodon:m.example:1"],
        "announcements": [{"id": "lunch", "text": "Lunch in the foyer",
                           "from": "2026-06-13T12:00:00+02:00", "until": "2026-06-13T13:30:00+02:00"}]})",
                              "s.json");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_EQ(config->schedule.authorSpacing, 5);
    EXPECT_EQ(config->schedule.pinEvery, 7);
    EXPECT_EQ(config->schedule.sourceWeights.at("bluesky"), 2.0);
    EXPECT_EQ(config->schedule.maxAge, 12 * 3600);
    EXPECT_EQ(config->pinned, (std::vector<std::string>{"mastodon:m.example:1"}));
    const auto cards = announcementPosts(*config);
    ASSERT_EQ(cards.size(), 1u);
    EXPECT_EQ(cards[0].id, "announcement:lunch");
    EXPECT_EQ(cards[0].author.name, "Camp");
    EXPECT_EQ(formatIsoTime(config->announcements[0].until), "2026-06-13T11:30:00Z");
    const auto bad = parseConfig(R"({"schedule": {"source_weights": {"x": -1}},
        "announcements": [{"text": "no id", "from": "noon"}]})",
                                 "s.json");
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().find("schedule.source_weights.x: expected a positive number"),
              std::string::npos);
    EXPECT_NE(bad.error().find("announcements[0].id: required"), std::string::npos);
    EXPECT_NE(bad.error().find("announcements[0].from: expected a time"), std::string::npos);
}

TEST(ModerationConfig, TheShippedListIsReadAndWorks) {
    auto config = loadConfigFile(std::string(KIOSK_SOURCE_DIR) + "/config/kiosk.json");
    ASSERT_TRUE(config.ok()) << config.error();
    EXPECT_GE(config->moderation.blockedWords.size(), 10u);
    Moderator m(config->moderation);
    EXPECT_EQ(m.decide(post("1", "this is bullshit"), kNow).verdict, Verdict::Hide);
    EXPECT_EQ(m.decide(post("2", "Scunthorpe is lovely"), kNow).verdict, Verdict::Show);
}

} // namespace
} // namespace kiosk

namespace kiosk {
namespace {

TEST(Moderator, PostsArrivingDuringPanicAreKeptForLater) {
    ModerationRules rules;
    rules.panic = Panic::AnnouncementsOnly;
    Moderator m(rules);
    Post p;
    p.id = "mastodon:quay.example:1";
    p.source = "mastodon";
    p.author.handle = "@ana@quay.example";
    p.text = "Sunrise swim at the harbour";
    // The fetch path keeps what the post deserves; panic only holds it off the wall.
    EXPECT_EQ(m.judge(p, 1000).verdict, Verdict::Show);
    EXPECT_FALSE(m.mayShowNow(p));
    rules.panic = Panic::Off;
    m.setRules(rules);
    EXPECT_TRUE(m.mayShowNow(p));
}

TEST(Moderator, NewlyBlockedSparesApprovedPostsAndAnnouncements) {
    ModerationRules rules;
    rules.blockedAuthors = {"@ana@quay.example"};
    Moderator m(rules);
    Post p;
    p.id = "mastodon:quay.example:2";
    p.source = "mastodon";
    p.author.handle = "@Ana@quay.example";
    EXPECT_EQ(m.newlyBlocked(p).value_or(Reason{}),
              (Reason{ReasonKind::BlockedAuthor, "ana@quay.example"}));
    m.approve(p.id);
    EXPECT_FALSE(m.newlyBlocked(p));
    Post a;
    a.id = "announcement:x";
    a.source = "announcement";
    a.text = "ana";
    EXPECT_FALSE(m.newlyBlocked(a));
}

} // namespace
} // namespace kiosk
