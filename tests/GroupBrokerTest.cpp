// Wall groups against the real broker: the test starts Mosquitto on 127.0.0.1 (a free port, its
// own config and persistence folder), a mock Mastodon server with two hashtag timelines, and
// three walls as processes on SDL's dummy video driver, each with its control page. It drives
// them through their pages as organisers would: a hide on one screen reaches the others, panic
// blanks every screen, a screen started later gets every earlier decision, each source is
// fetched by one screen and taken over when that screen is killed, and a decision made while
// the broker is down arrives once it is back.
#include "TestSupport.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace kiosk::test {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
constexpr const char* kToken = "group-test-token-2026";
constexpr const char* kMosquitto = "/usr/sbin/mosquitto";

int freePort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t n = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &n);
    ::close(fd);
    return ntohs(a.sin_port);
}

bool accepts(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(std::uint16_t(port));
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    return ok;
}

// Polls `done` every 20 ms until it holds or `limit` passes; the time it took.
template <class F> std::optional<double> within(double limit, F done) {
    const auto start = Clock::now();
    for (;;) {
        if (done()) {
            return std::chrono::duration<double>(Clock::now() - start).count();
        }
        if (std::chrono::duration<double>(Clock::now() - start).count() > limit) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

// A hashtag timeline in Mastodon's shape: twelve posts by twelve attendees, different for each
// tag, so three screens have enough to show different posts at once.
std::string statusId(int i) {
    return std::to_string(113900000000000100ll + i);
}

// Words enough that no two posts read alike (the spam filter hides one text from many accounts).
std::string sayingOf(int i) {
    static const char* kWhat[] = {
        "The soldering workshop", "Lightning talks",       "The open-air cinema",
        "Breakfast in the foyer", "The night market",      "Choir rehearsal",
        "The repair café",        "Kids' robotics corner", "The harbour swim",
        "Poster session",         "Board games night",     "The closing quiz"};
    static const char* kHow[] = {"was packed, bring a cushion next time",
                                 "starts twenty minutes late because of the rain",
                                 "has free seats in the back rows"};
    return std::string(kWhat[i % 12]) + " " + kHow[i / 12 % 3];
}

std::string timelineFor(const std::string& tag) {
    const int first = tag == "CampA" ? 0 : 12;
    json list = json::array();
    for (int i = first + 11; i >= first; --i) { // newest first
        const std::string user = "attendee" + std::to_string(i);
        list.push_back(
            {{"id", statusId(i)},
             {"created_at",
              "2026-11-30T10:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00.000Z"},
             {"in_reply_to_id", nullptr},
             {"sensitive", false},
             {"spoiler_text", ""},
             {"visibility", "public"},
             {"language", "en"},
             {"uri", "https://harbour.example/users/" + user + "/statuses/" + statusId(i)},
             {"url", "https://harbour.example/@" + user + "/" + statusId(i)},
             {"content", "<p>" + sayingOf(i) + " <a href=\"https://harbour.example/" + "tags/" +
                             tag + "\" class=\"mention hashtag\" rel=\"tag\">#<span>" + tag +
                             "</span></a></p>"},
             {"reblog", nullptr},
             {"account",
              {{"id", std::to_string(109000000000000000ll + i)},
               {"username", user},
               {"acct", user},
               {"display_name", "Attendee " + std::to_string(i)},
               {"bot", false},
               {"url", "https://harbour.example/@" + user},
               {"avatar", ""},
               {"emojis", json::array()}}},
             {"media_attachments", json::array()},
             {"mentions", json::array()},
             {"tags", {{{"name", tag}, {"url", "https://harbour.example/tags/" + tag}}}},
             {"emojis", json::array()}});
    }
    return list.dump();
}

struct Wall {
    std::string screen;
    int adminPort = 0;
    std::unique_ptr<Child> process;

    json call(const std::string& method, const std::string& path, const json& body = {}) const {
        httplib::Client c("127.0.0.1", adminPort);
        c.set_connection_timeout(2, 0);
        c.set_read_timeout(5, 0);
        const httplib::Headers auth = {{"Authorization", std::string("Bearer ") + kToken}};
        auto res = method == "GET"   ? c.Get(path.c_str(), auth)
                   : method == "PUT" ? c.Put(path.c_str(), auth, body.dump(), "application/json")
                                     : c.Post(path.c_str(), auth, body.dump(), "application/json");
        if (!res || res->status >= 400) {
            return json();
        }
        return json::parse(res->body, nullptr, false);
    }
    json status() const { return call("GET", "/api/status"); }
    bool lists(const std::string& state, const std::string& id) const {
        const json posts = call("GET", "/api/posts?limit=200&state=" + state);
        if (!posts.is_object()) {
            return false;
        }
        for (const auto& p : posts.value("posts", json::array())) {
            if (p.value("id", "") == id) {
                return true;
            }
        }
        return false;
    }
    std::vector<std::string> fetches() const {
        const json s = status();
        if (!s.is_object() || !s["group"].is_object()) {
            return {};
        }
        for (const auto& screenView : s["group"]["screens"]) {
            if (screenView.value("this", false)) {
                return screenView.value("fetches", std::vector<std::string>{});
            }
        }
        return {};
    }
};

class GroupBroker : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(kMosquitto)) {
            GTEST_SKIP() << kMosquitto << " is missing: apt-get install mosquitto (scripts/test "
                         << "installs it)";
        }
        dir_ =
            std::filesystem::temp_directory_path() / ("kiosk-group-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_ / "broker");
        brokerPort_ = freePort();
        startBroker();
        mock_.Get(R"(/api/v1/timelines/tag/(\w+))", [this](const auto& req, auto& res) {
            {
                std::lock_guard lock(mutex_);
                const std::string ua = req.get_header_value("User-Agent");
                // "kiosk-social-wall/0.1.0 (+hall)": the contact is the screen's name.
                const auto open = ua.find("(+");
                const std::string screen =
                    open == std::string::npos ? ua : ua.substr(open + 2, ua.size() - open - 3);
                fetchedBy_[req.matches[1].str()].insert(screen);
                if (req.has_param("min_id")) {
                    resumedFrom_[req.matches[1].str()] = req.get_param_value("min_id");
                }
            }
            res.set_content(timelineFor(req.matches[1].str()), "application/json; charset=utf-8");
        });
        mockPort_ = mock_.bind_to_any_port("127.0.0.1");
        mockThread_ = std::thread([this] { mock_.listen_after_bind(); });
    }

    void TearDown() override {
        for (auto& w : walls_) {
            if (w.process) {
                w.process->stop();
            }
        }
        if (broker_) {
            broker_->stop();
        }
        if (mockThread_.joinable()) {
            mock_.stop();
            mockThread_.join();
        }
        std::filesystem::remove_all(dir_);
    }

    void startBroker() {
        const passwd* me = ::getpwuid(::getuid());
        const std::string conf = (dir_ / "mosquitto.conf").string();
        writeFile(conf, "listener " + std::to_string(brokerPort_) +
                            " 127.0.0.1\nallow_anonymous true\npersistence true\n"
                            "set_tcp_nodelay true\npersistence_location " +
                            (dir_ / "broker").string() + "/\nuser " + (me ? me->pw_name : "root") +
                            "\nlog_dest stderr\n");
        broker_ = std::make_unique<Child>(std::vector<std::string>{"-c", conf},
                                          std::vector<std::string>{}, kMosquitto);
        ASSERT_TRUE(within(10, [this] { return accepts(brokerPort_); }))
            << "mosquitto did not start: " << broker_->err();
    }

    static void writeFile(const std::string& path, const std::string& text) {
        std::ofstream(path) << text;
    }

    Wall& startWall(const std::string& screen) {
        Wall w;
        w.screen = screen;
        w.adminPort = freePort();
        const std::string base = "http://127.0.0.1:" + std::to_string(mockPort_);
        const json config = {
            {"event", {{"name", "Harbour Camp"}, {"hashtags", {"CampA"}}}},
            {"display", {{"transition", "none"}, {"card_seconds", 5}}},
            {"network", {{"contact", screen}, {"download_media", false}}},
            {"storage", {{"path", (dir_ / (screen + ".db")).string()}}},
            {"admin", {{"listen", "127.0.0.1"}, {"port", w.adminPort}, {"token", kToken}}},
            {"group",
             {{"broker", "mqtt://127.0.0.1:" + std::to_string(brokerPort_)},
              {"name", "harbour"},
              {"screen", screen},
              {"keepalive_seconds", 5}}},
            {"sources",
             {{{"type", "mastodon"},
               {"server", base},
               {"hashtags", {"CampA"}},
               {"poll_seconds", 5},
               {"streaming", false}},
              {{"type", "mastodon"},
               {"server", base},
               {"hashtags", {"CampB"}},
               {"poll_seconds", 5},
               {"streaming", false}}}}};
        const std::string path = (dir_ / (screen + ".json")).string();
        writeFile(path, config.dump(2));
        w.process = std::make_unique<Child>(
            std::vector<std::string>{"--config", path, "--windowed", "640x360"},
            std::vector<std::string>{"SDL_VIDEODRIVER=dummy", "SDL_AUDIODRIVER=dummy"});
        walls_.push_back(std::move(w));
        Wall& started = walls_.back();
        EXPECT_TRUE(within(15, [&] { return started.status().is_object(); }))
            << screen << " never answered: " << started.process->err();
        return started;
    }

    std::set<std::string> fetchersOf(const std::string& tag) {
        std::lock_guard lock(mutex_);
        return fetchedBy_[tag];
    }
    void forgetFetchers() {
        std::lock_guard lock(mutex_);
        fetchedBy_.clear();
    }

    std::filesystem::path dir_;
    int brokerPort_ = 0;
    std::unique_ptr<Child> broker_;
    httplib::Server mock_;
    int mockPort_ = 0;
    std::thread mockThread_;
    std::mutex mutex_;
    std::map<std::string, std::set<std::string>> fetchedBy_; // guarded by mutex_; tag -> screens
    std::map<std::string, std::string> resumedFrom_;         // guarded by mutex_; tag -> min_id
    std::deque<Wall> walls_;
};

TEST_F(GroupBroker, ThreeScreensShareOneModerationAndOneFetch) {
    Wall& hall = startWall("hall");
    Wall& cafe = startWall("cafe");
    Wall& corridor = startWall("corridor");
    // Every screen sees the other two, and every source is fetched by exactly one of them.
    ASSERT_TRUE(within(20, [&] {
        std::size_t n = 0;
        for (auto* w : {&hall, &cafe, &corridor}) {
            const json s = w->status();
            if (!s.is_object() || !s["group"].value("connected", false)) {
                return false;
            }
            std::size_t online = 0;
            for (const auto& screen : s["group"]["screens"]) {
                online += screen.value("online", false);
            }
            if (online != 3) {
                return false;
            }
            n += w->fetches().size();
        }
        return n == 2;
    })) << hall.status().dump();
    forgetFetchers(); // counted from here, once the screens know of each other
    ASSERT_TRUE(
        within(15, [&] { return !fetchersOf("CampA").empty() && !fetchersOf("CampB").empty(); }));
    // A post fetched by one screen is on every screen.
    const std::string id = "mastodon:127.0.0.1:" + statusId(3);
    ASSERT_TRUE(within(10, [&] {
        return hall.lists("shown", id) && cafe.lists("shown", id) && corridor.lists("shown", id);
    })) << "posts did not reach every screen";

    // Side by side, the screens do not show the same post at the same moment.
    int samples = 0, echoes = 0;
    for (int i = 0; i < 40; ++i) {
        std::set<std::string> current;
        std::size_t shown = 0;
        for (auto* w : {&hall, &cafe, &corridor}) {
            const json s = w->status();
            if (s.is_object() && !s["current"].empty()) {
                current.insert(s["current"][0].value("id", ""));
                ++shown;
            }
        }
        samples += shown == 3;
        echoes += shown == 3 && current.size() < 3;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    EXPECT_GT(samples, 30);
    // One echo at most: two screens changing cards within the same few milliseconds.
    EXPECT_LE(echoes, 1) << echoes << " of " << samples << " moments showed a post twice";

    // A hide in the hall leaves the café and the corridor within a second.
    ASSERT_TRUE(hall.call("POST", "/api/posts/hide", {{"id", id}}).is_object());
    const auto hidden =
        within(1.0, [&] { return cafe.lists("hidden", id) && corridor.lists("hidden", id); });
    ASSERT_TRUE(hidden) << "the hide did not reach the other screens within 1 s";
    std::printf("hide fan-out: %.0f ms\n", *hidden * 1000);

    // Panic on the café's page blanks every screen within a second.
    ASSERT_TRUE(cafe.call("PUT", "/api/moderation", {{"panic", "announcements"}}).is_object());
    const auto panicked = within(1.0, [&] {
        for (auto* w : {&hall, &corridor}) {
            const json s = w->status();
            if (!s.is_object() || s["moderation"]["panic"] != "announcements") {
                return false;
            }
        }
        return true;
    });
    ASSERT_TRUE(panicked) << "panic did not reach every screen within 1 s";
    std::printf("panic fan-out: %.0f ms\n", *panicked * 1000);
    ASSERT_TRUE(cafe.call("PUT", "/api/moderation", {{"panic", "off"}}).is_object());

    // The attendee page opened in the café opens on every screen; closed from the corridor
    // (say, after abuse), no screen's QR code leads to an open page any more.
    const auto venueEverywhere = [&](bool open) {
        return within(1.0, [&] {
            for (auto* w : {&hall, &cafe, &corridor}) {
                const json s = w->status();
                if (!s.is_object() || s["venue"]["enabled"] != open) {
                    return false;
                }
            }
            return true;
        });
    };
    ASSERT_TRUE(cafe.call("PUT", "/api/attendees", {{"enabled", true}}).is_object());
    ASSERT_TRUE(venueEverywhere(true)) << "the attendee page did not open on every screen";
    ASSERT_TRUE(corridor.call("PUT", "/api/attendees", {{"enabled", false}}).is_object());
    ASSERT_TRUE(venueEverywhere(false)) << "the attendee page stayed open on a screen";

    // A screen started now learns every earlier decision from the broker.
    Wall& foyer = startWall("foyer");
    EXPECT_TRUE(within(10, [&] {
        const json s = foyer.status();
        return s.is_object() && s["moderation"]["panic"] == "off" && foyer.lists("hidden", id) &&
               s["venue"]["enabled"] == false;
    })) << foyer.status().dump();

    // Each source was fetched by one screen only.
    for (const char* tag : {"CampA", "CampB"}) {
        EXPECT_EQ(fetchersOf(tag).size(), 1u) << tag;
    }

    // The screen that fetches CampA dies without a word; another takes over within two polls.
    const std::string owner = *fetchersOf("CampA").begin();
    Wall* dying = nullptr;
    for (auto& w : walls_) {
        dying = w.screen == owner ? &w : dying;
    }
    ASSERT_NE(dying, nullptr) << owner;
    forgetFetchers();
    {
        std::lock_guard lock(mutex_);
        resumedFrom_.clear();
    }
    dying->process->stop(9);
    const auto takenOver = within(15, [&] { return !fetchersOf("CampA").empty(); });
    ASSERT_TRUE(takenOver) << "nobody took CampA over";
    EXPECT_NE(*fetchersOf("CampA").begin(), owner);
    {
        // The new fetcher went on from the position the dead one had published (the newest
        // CampA post), instead of reading the whole timeline again.
        std::lock_guard lock(mutex_);
        EXPECT_EQ(resumedFrom_["CampA"], statusId(11));
    }
    // The broker sees the killed screen's socket close and sends its last will at once; a screen
    // cut off by the network is noticed after 1.5 keepalives (7.5 s here).
    std::printf("takeover after SIGKILL: %.2f s (poll every 5 s, keepalive 5 s)\n", *takenOver);
}

TEST_F(GroupBroker, ADecisionMadeWhileTheBrokerIsDownArrivesWhenItIsBack) {
    Wall& hall = startWall("hall");
    Wall& cafe = startWall("cafe");
    const std::string id = "mastodon:127.0.0.1:" + statusId(15);
    ASSERT_TRUE(within(20, [&] {
        const json s = cafe.status();
        return s.is_object() && s["group"].value("connected", false) && hall.lists("shown", id) &&
               cafe.lists("shown", id);
    }));
    broker_->stop();
    // 30 s without the broker: both walls keep showing, the hall's page keeps working.
    ASSERT_TRUE(hall.call("POST", "/api/posts/hide", {{"id", id}}).is_object());
    EXPECT_TRUE(hall.lists("hidden", id));
    std::this_thread::sleep_for(std::chrono::seconds(30));
    for (auto* w : {&hall, &cafe}) {
        const json s = w->status();
        ASSERT_TRUE(s.is_object()) << w->screen << " stopped answering";
        EXPECT_FALSE(s["current"].empty()) << w->screen << " went blank";
    }
    EXPECT_TRUE(cafe.lists("shown", id)); // the café could not know yet
    startBroker();
    EXPECT_TRUE(within(15, [&] { return cafe.lists("hidden", id); }))
        << "the hall's hide never reached the café: " << cafe.status().dump();
}

} // namespace
} // namespace kiosk::test
