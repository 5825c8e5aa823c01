// A wall group's logic without a broker: an in-memory broker (retained messages, last wills,
// connections dropped and restored) and a clock the test moves. Three screens split the
// sources and take over from one that dies; decisions resolve the same way everywhere; a screen
// that joins late or was away catches up; an older word on the broker is corrected.
#include "kiosk/group/Group.h"
#include "kiosk/base/Rendezvous.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

namespace kiosk {
namespace {

class FakeLink;

struct FakeBroker {
    std::recursive_mutex mutex;
    std::map<std::string, std::string> retained;
    std::vector<FakeLink*> links;
    void deliver(const std::string& topic, const std::string& payload, bool retain);
};

class FakeLink : public GroupLink {
public:
    explicit FakeLink(FakeBroker& broker) : broker_(broker) {
        std::lock_guard lock(broker_.mutex);
        broker_.links.push_back(this);
    }
    ~FakeLink() override {
        std::lock_guard lock(broker_.mutex);
        std::erase(broker_.links, this);
    }
    void start(Handlers handlers, const std::string&, const std::string& willTopic,
               const std::string& willPayload) override {
        handlers_ = std::move(handlers);
        willTopic_ = willTopic;
        willPayload_ = willPayload;
    }
    void stop(const std::string& topic, const std::string& payload) override {
        publish(topic, payload, true);
        connected = false;
    }
    bool publish(const std::string& topic, const std::string& payload, bool retain) override {
        if (!connected) {
            return false;
        }
        broker_.deliver(topic, payload, retain);
        return true;
    }
    void connect() {
        connected = true;
        handlers_.connected();
        std::map<std::string, std::string> copy;
        {
            std::lock_guard lock(broker_.mutex);
            copy = broker_.retained;
        }
        for (const auto& [topic, payload] : copy) {
            handlers_.message({topic, payload, true});
        }
    }
    void drop() {
        connected = false;
        handlers_.disconnected();
    }
    void kill() { // the broker notices the silence and publishes the last will
        drop();
        broker_.deliver(willTopic_, willPayload_, true);
    }
    void receive(const GroupMessage& m) {
        if (connected && handlers_.message) {
            handlers_.message(m);
        }
    }
    std::atomic<bool> connected{false};

private:
    FakeBroker& broker_;
    Handlers handlers_;
    std::string willTopic_, willPayload_;
};

void FakeBroker::deliver(const std::string& topic, const std::string& payload, bool retain) {
    std::vector<FakeLink*> targets;
    {
        std::lock_guard lock(mutex);
        if (retain) {
            retained[topic] = payload;
        }
        targets = links;
    }
    for (auto* link : targets) {
        link->receive({topic, payload, false});
    }
}

const std::vector<std::string> kLabels = {
    "mastodon #Camp @ a.example", "mastodon #Camp @ b.example",
    "wordpress blog.example",     "x #Camp",
    "rss feed.example",           "bluesky #Camp"};

struct Screen {
    Screen(FakeBroker& broker, const std::string& name, std::atomic<std::int64_t>& clock,
           Database* database = nullptr)
        : link(broker) {
        GroupConfig config;
        config.enabled = true;
        config.name = "camp";
        config.screen = name;
        Group::Hooks hooks;
        hooks.apply = [this](const SharedChange& c) {
            std::lock_guard lock(mutex);
            applied.push_back(c);
        };
        hooks.posts = [this](std::vector<Post> p) {
            std::lock_guard lock(mutex);
            for (auto& post : p) {
                posts.push_back(post.id);
            }
        };
        group = std::make_unique<Group>(
            config, link, database, [&clock] { return clock.load(); }, hooks);
        // The test moves the clock and ticks; a thread ticking as well would race with it.
        group->start(kLabels, Group::Ticking::ByCaller);
    }
    std::vector<SharedChange> appliedCopy() {
        std::lock_guard lock(mutex);
        return applied;
    }
    FakeLink link;
    std::mutex mutex;
    std::vector<SharedChange> applied;
    std::vector<std::string> posts;
    std::unique_ptr<Group> group;
};

std::vector<std::string> unionOf(std::initializer_list<Screen*> screens) {
    std::vector<std::string> all;
    for (auto* s : screens) {
        for (const auto& label : s->group->owned()) {
            all.push_back(label);
        }
    }
    std::sort(all.begin(), all.end());
    return all;
}

TEST(Group, ThreeScreensSplitTheSourcesAndTakeOverFromOneThatDies) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    Screen a(broker, "hall", now), b(broker, "cafe", now), c(broker, "corridor", now);
    for (auto* s : {&a, &b, &c}) {
        s->link.connect();
    }
    EXPECT_TRUE(a.group->owned().empty()); // the others' presence may still be on its way
    now += Group::kSettleMs;
    for (auto* s : {&a, &b, &c}) {
        s->group->tick();
    }
    std::vector<std::string> sorted = kLabels;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(unionOf({&a, &b, &c}), sorted); // every source once, none twice
    const auto cafeHad = b.group->owned();
    b.link.kill();
    EXPECT_EQ(unionOf({&a, &c}), sorted); // the café's sources were taken over at once
    for (const auto& label : a.group->owned()) {
        EXPECT_EQ(rendezvousOwner(label, {"hall", "corridor"}), "hall");
    }
    EXPECT_FALSE(cafeHad.empty());
}

TEST(Group, TheSameDecisionWinsOnEveryScreenEvenAtTheSameMillisecond) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    Screen a(broker, "hall", now), b(broker, "cafe", now);
    // Both pages decide at the same moment while neither hears the other.
    a.group->share({"post/mastodon:a.example:1", {{"verdict", "hide"}}, 0, ""});
    b.group->share({"post/mastodon:a.example:1", {{"verdict", "show"}}, 0, ""});
    b.link.connect();
    a.link.connect();
    // Same time: "hall" > "cafe", so the hall's hide is the last word on both screens.
    const auto onCafe = b.appliedCopy();
    ASSERT_EQ(onCafe.size(), 1u);
    EXPECT_EQ(onCafe[0].value["verdict"], "hide");
    EXPECT_TRUE(a.appliedCopy().empty()); // the café's word never applies in the hall
    // A click after seeing the hall's word is later, whatever the clocks say.
    b.group->share({"post/mastodon:a.example:1", {{"verdict", "show"}}, 0, ""});
    ASSERT_EQ(a.appliedCopy().size(), 1u);
    EXPECT_EQ(a.appliedCopy()[0].value["verdict"], "show");
}

TEST(Group, AScreenThatJoinsLateGetsEveryEarlierDecision) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    Screen a(broker, "hall", now);
    a.link.connect();
    a.group->share({"moderation/panic", "announcements", 0, ""});
    a.group->share({"block/author/@troll@bad.example", {{"blocked", true}}, 0, ""});
    a.group->share({"hashtags", {"Camp26"}, 0, ""});
    Screen late(broker, "corridor", now);
    late.link.connect();
    const auto got = late.appliedCopy();
    ASSERT_EQ(got.size(), 3u);
    std::vector<std::string> keys;
    for (const auto& c : got) {
        keys.push_back(c.key);
    }
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys, (std::vector<std::string>{"block/author/@troll@bad.example", "hashtags",
                                              "moderation/panic"}));
}

TEST(Group, ADecisionMadeWhileTheBrokerWasAwayIsSentWhenItReturnsEvenAfterARestart) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    auto db = std::move(Database::open(":memory:").value());
    Screen b(broker, "cafe", now);
    b.link.connect();
    {
        Screen a(broker, "hall", now, db.get());
        a.link.connect();
        a.link.drop();
        now += 1000;
        a.group->share({"post/x:1", {{"verdict", "hide"}}, 0, ""});
        EXPECT_TRUE(b.appliedCopy().empty()); // nothing reached the café meanwhile
        a.group->stop();
    }
    // The hall restarts (same database) and finds the broker again.
    Screen again(broker, "hall", now, db.get());
    again.link.connect();
    ASSERT_EQ(b.appliedCopy().size(), 1u);
    EXPECT_EQ(b.appliedCopy()[0].key, "post/x:1");
    const auto saved = db->loadGroupDecisions();
    ASSERT_EQ(saved.size(), 1u);
    EXPECT_FALSE(saved[0].second); // sent now
}

TEST(Group, AnOlderWordOnTheBrokerIsCorrectedByTheScreenThatKnowsBetter) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    Screen a(broker, "hall", now);
    a.link.connect();
    const SharedChange newer = a.group->share({"moderation/mode", "pre", 0, ""});
    // A stale retained copy (a screen restored from an old backup published it).
    std::string decisionTopic;
    for (const auto& [t, payload] : broker.retained) {
        if (t.find("/decisions/") != std::string::npos) {
            decisionTopic = t;
        }
    }
    ASSERT_FALSE(decisionTopic.empty());
    nlohmann::json stale = {{"key", "moderation/mode"},
                            {"value", "automatic"},
                            {"at", newer.atMs - 60'000},
                            {"screen", "cafe"}};
    broker.deliver(decisionTopic, stale.dump(), true);
    EXPECT_TRUE(a.appliedCopy().empty());
    const auto fixed = nlohmann::json::parse(broker.retained.at(decisionTopic));
    EXPECT_EQ(fixed["value"], "pre");
    EXPECT_EQ(fixed["at"], newer.atMs);
}

TEST(Group, AfterALongOutageEachScreenFetchesEverythingItself) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    Screen a(broker, "hall", now), b(broker, "cafe", now);
    a.link.connect();
    b.link.connect();
    now += Group::kSettleMs;
    a.group->tick();
    const auto share = a.group->owned();
    ASSERT_LT(share.size(), kLabels.size());
    a.link.drop();
    now += Group::kAloneAfterMs - 1000;
    a.group->tick();
    EXPECT_EQ(a.group->owned(), share); // a broker restart: the others still fetch theirs
    now += 2000;
    a.group->tick();
    EXPECT_EQ(a.group->owned().size(), kLabels.size()); // alone: the wall never goes stale
}

TEST(Group, TickedByTheCallerNothingHappensBetweenTicks) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    Screen a(broker, "hall", now); // never connects: alone once kAloneAtStartMs has passed
    now += Group::kAloneAtStartMs + 1000;
    // Longer than the ticker's 250 ms: a thread would have taken every source by now.
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_TRUE(a.group->owned().empty());
    a.group->tick();
    EXPECT_EQ(a.group->owned().size(), kLabels.size());
}

TEST(Group, PostsFetchedByOneScreenReachTheOthersAndLateJoiners) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    Screen a(broker, "hall", now), b(broker, "cafe", now);
    a.link.connect();
    b.link.connect();
    Post p;
    p.id = "mastodon:a.example:42";
    p.source = "mastodon";
    p.createdAt = 1784000000;
    p.author.name = "Ana";
    p.text = "Sunrise swim";
    a.group->fetched({p});
    EXPECT_EQ(b.posts, std::vector<std::string>{p.id});
    // The next poll's window holds both: only the new post goes on to the café's Ingest.
    Post q = p;
    q.id = "mastodon:a.example:43";
    q.text = "Breakfast in the foyer";
    a.group->fetched({q});
    EXPECT_EQ(b.posts, (std::vector<std::string>{p.id, q.id}));
    EXPECT_TRUE(a.posts.empty()); // its own posts went to its own store already
    Screen late(broker, "corridor", now);
    late.link.connect();
    EXPECT_EQ(late.posts, (std::vector<std::string>{p.id, q.id})); // the retained window
}

// Messages a screen of another version, or anyone else able to publish to the group's topics,
// could leave on the broker. Retained, they reach every screen at every start: before, the
// first ones threw from json::value on the MQTT client's thread and ended every wall in the
// group, again at each restart; "at": 9223372036854775807 overflowed the next stamp.
TEST(Group, MessagesOfAnotherShapeAreSkippedAndTheRestStillApply) {
    FakeBroker broker;
    std::atomic<std::int64_t> now{1'784'000'000'000};
    Screen a(broker, "hall", now);
    a.link.connect();
    std::vector<std::pair<std::string, std::string>> hostile = {
        {"members/evil", R"({"online": "yes", "sources": "all", "health": [1, 2]})"},
        {"decisions/1", R"({"key": 7, "value": true, "at": 1784000000000})"},
        {"decisions/2", R"({"key": "moderation/mode", "value": "off", "at": "soon"})"},
        {"decisions/3", R"({"key": "moderation/mode", "value": "off", "at": 1e300})"},
        {"decisions/4", R"({"key": "moderation/mode", "value": "off", "at": -5})"},
        {"decisions/5", R"({"key": "moderation/mode", "value": "off", "at": 9223372036854775807})"},
        {"decisions/6", R"({"key": "moderation/mode", "value": "off", "at": 1784000000000,
                            "screen": ["evil"]})"},
        {"decisions/7", R"(["key", "moderation/mode"])"},
        {"cursors/1", R"({"label": ["x #Camp"], "state": 5})"},
        {"posts/evil", R"({"posts": "none", "deleted": 5})"},
        {"posts/evil2", R"({"posts": [5, {"id": []}], "deleted": [5, "x"]})"},
        {"showing/evil", R"({"ids": 5})"},
        {"members/evil3", "not json"}};
    // Well formed but for a field nested beyond any message of ours (memory, not meaning).
    hostile.emplace_back("decisions/9", R"({"key": "moderation/mode", "value": "off", )"
                                        R"("at": 1784000000000, "screen": "evil", "pad": )" +
                                            std::string(100, '[') + std::string(100, ']') + "}");
    // What fuzz_group found first: an "at" beyond any integer, which JSON reads as a double.
    const std::string found = test::readFile(KIOSK_FUZZ_CORPUS "/group/decision-at-beyond-int64");
    const std::size_t nl = found.find('\n');
    ASSERT_NE(nl, std::string::npos);
    hostile.emplace_back(found.substr(0, nl), found.substr(nl + 1));
    for (const auto& [topic, payload] : hostile) {
        EXPECT_NO_THROW(broker.deliver("kiosk/camp/" + topic, payload, true)) << topic;
    }
    EXPECT_TRUE(a.appliedCopy().empty()) << "no decision of another shape applies";
    EXPECT_TRUE(a.posts.empty());
    // A well-formed decision after them applies, and this screen's own next stamp is ordinary.
    broker.deliver("kiosk/camp/decisions/8",
                   R"({"key": "moderation/panic", "value": "announcements",
                       "at": 1784000000500, "screen": "cafe"})",
                   true);
    ASSERT_EQ(a.appliedCopy().size(), 1u);
    EXPECT_EQ(a.appliedCopy()[0].value, "announcements");
    EXPECT_EQ(a.group->share({"moderation/mode", "pre", 0, ""}).atMs, 1'784'000'000'501);
    // A screen starting now gets every retained message above, and the good decision.
    Screen late(broker, "corridor", now);
    EXPECT_NO_THROW(late.link.connect());
    EXPECT_EQ(late.appliedCopy().size(), 2u); // the panic and the hall's mode
}

} // namespace
} // namespace kiosk

namespace kiosk {
namespace {

// Post ids of one server differ only in their last digits; each screen still gets its share.
TEST(Rendezvous, SharesKeysThatDifferOnlyAtTheEndEvenly) {
    const std::vector<std::string> screens = {"hall", "cafe", "corridor"};
    std::map<std::string, int> count;
    for (int i = 0; i < 300; ++i) {
        ++count[rendezvousOwner("mastodon:social.example:1139000000000" + std::to_string(10000 + i),
                                screens)];
    }
    for (const auto& screen : screens) {
        EXPECT_GT(count[screen], 70) << screen; // 100 each on average
    }
    // When one leaves, only its keys move.
    for (int i = 0; i < 300; ++i) {
        const std::string key = "x:" + std::to_string(i);
        const std::string before = rendezvousOwner(key, screens);
        if (before != "cafe") {
            EXPECT_EQ(rendezvousOwner(key, {"hall", "corridor"}), before);
        }
    }
}

} // namespace
} // namespace kiosk
