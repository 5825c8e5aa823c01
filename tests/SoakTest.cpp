// A day of a busy event on the controllable clock, through the wall's real fetch path: a
// Mastodon server with new posts at every poll, a burst of 200 every two hours, and every hour
// a quarter of an hour of 500s, a 429 with Retry-After, ten minutes without network and a body
// cut short. Posts go through moderation into the memory store and a database file on disk,
// and the card cycle moves on. What must stay flat stays flat (the memory store, the database
// file, the posts kept), nothing the server published is lost, and the wall never stands
// still. The figures per hour are printed (with the process's RSS, which is not asserted: this
// machine is noisy); docs/PERFORMANCE.md quotes them.
#include "kiosk/base/Time.h"
#include "kiosk/fetch/FetchWorker.h"
#include "kiosk/fetch/Ingest.h"
#include "kiosk/model/CardCycle.h"
#include "kiosk/model/Moderation.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/net/HostPolicy.h"
#include "kiosk/sources/Mastodon.h"
#include "kiosk/store/Database.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unordered_set>

namespace kiosk {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr UnixTime kStart = 1796000000; // 2026-11-30
constexpr UnixTime kDay = 24 * 3600;

long residentKb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            return std::atol(line.c_str() + 6);
        }
    }
    return 0;
}

// The hashtag's server: statuses with time-ordered ids, answered as Mastodon answers min_id
// (the page right after it, newest first) or, without it, the newest page.
class BusyServer {
public:
    void publishUntil(UnixTime now) {
        for (; madeUntil_ < now; madeUntil_ += 15) { // one post every 15 s
            add(madeUntil_);
        }
        const UnixTime t = now - kStart;
        if (t / 7200 >= bursts_ && t % 7200 >= 3600) { // a keynote: 200 posts at once
            ++bursts_;
            for (int i = 0; i < 200; ++i) {
                add(now); // ids are given on arrival: after every id served so far
            }
        }
        // A server keeps its timeline; this one forgets what no poll can ask for any more, so
        // that the process's memory is the wall's, not the mock's.
        if (statuses_.size() > 1200) {
            forgotten_ += 600;
            statuses_.erase(statuses_.begin(), statuses_.begin() + 600);
        }
    }
    HttpResponse answer(const HttpRequest& request, UnixTime now) {
        ++requests;
        publishUntil(now);
        const UnixTime hourly = (now - kStart) % 3600;
        HttpResponse r;
        if (hourly >= 600 && hourly < 900) {
            ++faults;
            r.status = 500;
            r.body = "<html><h1>502 Bad Gateway</h1></html>";
            return r;
        }
        if (hourly >= 1200 && hourly < 1230) {
            ++faults;
            r.status = 429;
            r.headers["retry-after"] = "120";
            r.body = R"({"error":"Too many requests"})";
            return r;
        }
        if (hourly >= 1800 && hourly < 2400) {
            ++faults;
            r.error = "Failed to connect to soak.example port 443: Connection refused";
            return r;
        }
        r.status = 200;
        r.body = page(request.url);
        if (hourly >= 3000 && hourly < 3060) {
            ++faults;
            r.body.resize(r.body.size() / 2); // the connection dropped mid-body
        }
        return r;
    }
    std::size_t published() const { return forgotten_ + statuses_.size(); }
    int requests = 0;
    int faults = 0;

private:
    void add(UnixTime at) {
        const std::string id = std::to_string(((at * 1000ULL) << 16) + ++sequence_ % 65536);
        const std::string n = std::to_string(forgotten_ + statuses_.size());
        statuses_.push_back(
            {{"id", id},
             {"created_at", formatIsoTime(at)},
             {"visibility", "public"},
             {"url", "https://soak.example/@crew/" + id},
             {"content", "<p>Update " + n + " from the main stage #SoakCamp</p>"},
             {"account",
              {{"id", std::to_string(statuses_.size() % 300)},
               {"username", "crew" + std::to_string(statuses_.size() % 300)},
               {"acct", "crew" + std::to_string(statuses_.size() % 300)},
               {"display_name", "Crew " + std::to_string(statuses_.size() % 300)}}}});
    }
    std::string page(const std::string& url) const {
        const auto at = url.find("&min_id=");
        const std::string minId = at == std::string::npos ? "" : url.substr(at + 8);
        std::vector<const json*> out;
        if (minId.empty()) {
            for (auto it = statuses_.rbegin(); it != statuses_.rend() && out.size() < 40; ++it) {
                out.push_back(&*it);
            }
        } else {
            // The 40 right after min_id, newest first: found from the newest end.
            auto it = statuses_.end();
            while (it != statuses_.begin() &&
                   numericIdNewer((*(it - 1))["id"].get<std::string>(), minId)) {
                --it;
            }
            for (; it != statuses_.end() && out.size() < 40; ++it) {
                out.insert(out.begin(), &*it);
            }
        }
        json body = json::array();
        for (const json* s : out) {
            body.push_back(*s);
        }
        return body.dump();
    }

    std::vector<json> statuses_; // oldest first
    std::size_t forgotten_ = 0;
    UnixTime madeUntil_ = kStart - 3600;
    UnixTime bursts_ = 0;
    unsigned long long sequence_ = 0;
};

TEST(Soak, ADayOfABusyEventStaysFlat) {
    const fs::path dir = fs::path(test::writeTempFile("soak/.keep", "")).parent_path();
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string dbPath = (dir / "wall.db").string();
    auto opened = Database::open(dbPath);
    ASSERT_TRUE(opened) << opened.error();
    Database& db = *opened.value();

    std::atomic<std::int64_t> clockMs{kStart * 1000};
    const auto now = [&] { return UnixTime(clockMs.load() / 1000); };
    HostPolicy policy([&] { return clockMs.load(); }, [&](std::int64_t ms) { clockMs += ms; }, 0,
                      0);
    BusyServer server;
    PostStore store(500);
    Moderator moderator;
    Ingest ingest({store, moderator, &db, nullptr, now, nullptr, 1000, 48 * 3600});
    std::unordered_set<std::size_t> delivered; // hashes of the ids: the count of distinct posts
    MastodonSource::Settings s;
    s.server = "https://soak.example";
    s.hashtags = {"SoakCamp"};
    s.interval = std::chrono::seconds(30);
    FetchWorker worker(
        {std::make_shared<MastodonSource>(s)},
        [&] {
            auto fake = std::make_unique<test::FakeHttpClient>();
            fake->onJson("https://soak.example/api/v2/instance", 200, "{}");
            fake->on("https://soak.example/api/v1/",
                     [&](const HttpRequest& r) { return server.answer(r, now()); });
            return std::make_unique<PoliteHttpClient>(std::move(fake), policy);
        },
        PollSettings{},
        [&](std::vector<Post> posts) {
            for (const auto& p : posts) {
                delivered.insert(std::hash<std::string>{}(p.id));
            }
            ingest.posts(std::move(posts));
        },
        now, &policy);

    CardCycle cycle(8.0, 0.6);
    PostSnapshot lastSeen;
    std::string shownId;
    double lastChange = 0, longestStill = 0;
    UnixTime due = worker.runDue(now());
    std::printf("soak: hour  published  delivered  in memory  in db  db KB  requests  faults  "
                "RSS KB\n");
    std::uintmax_t dbAtHour4 = 0, dbMax = 0;
    for (UnixTime t = 0; t <= kDay; t += 2) {
        clockMs = std::max<std::int64_t>(clockMs.load(), (kStart + t) * 1000);
        if (now() >= due) {
            due = worker.runDue(now());
        }
        const PostSnapshot posts = store.snapshot();
        if (posts != lastSeen || !cycle.nextChangeAt() || *cycle.nextChangeAt() <= double(t)) {
            cycle.update(*posts, double(t), now()); // what the frame loop does, less often
            lastSeen = posts;
        }
        if (cycle.current() && cycle.current()->id != shownId) {
            shownId = cycle.current()->id;
            longestStill = std::max(longestStill, double(t) - lastChange);
            lastChange = double(t);
        }
        if (t % 3600 == 0 && t > 0) {
            const auto dbBytes = fs::file_size(dbPath) +
                                 (fs::exists(dbPath + "-wal") ? fs::file_size(dbPath + "-wal") : 0);
            dbMax = std::max(dbMax, dbBytes);
            if (t == 4 * 3600) {
                dbAtHour4 = dbBytes;
            }
            std::printf("soak: %4lld  %9zu  %9zu  %9zu  %5zu  %5ju  %8d  %6d  %6ld\n",
                        static_cast<long long>(t / 3600), server.published(), delivered.size(),
                        posts->size(), db.countPosts(Verdict::Show), dbBytes / 1024,
                        server.requests, server.faults, residentKb());
            EXPECT_LE(posts->size(), 500u);
            EXPECT_LE(db.countPosts(Verdict::Show), 1000u + 12 * 200) << "hour " << t / 3600;
        }
    }
    // Everything was delivered, faults and bursts included, but the hour before the start
    // (the first poll reads the newest page only: 240 - 40) and what came after the last poll.
    EXPECT_GE(delivered.size() + 200 + 4, server.published());
    EXPECT_GT(server.faults, 24 * 10);
    EXPECT_LE(longestStill, 9.0) << "the card changed every 8 s, faults or not";
    // The database file is as big in hour 24 as in hour 4, give or take a burst.
    EXPECT_LE(dbMax, dbAtHour4 * 3 / 2) << "the file grows with the day instead of staying flat";
}

} // namespace
} // namespace kiosk
