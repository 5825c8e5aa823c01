// Rate-limit headers of every API, per-host politeness on a controllable clock, and the fetch
// worker's schedule when a host asks it to wait.
#include "kiosk/fetch/FetchWorker.h"
#include "kiosk/net/HostPolicy.h"
#include "kiosk/net/RateLimit.h"
#include "kiosk/sources/Mastodon.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace kiosk {
namespace {

constexpr UnixTime kNow = 1781343000; // 2026-06-13T09:30:00Z

HttpResponse withHeaders(int status, std::map<std::string, std::string> headers) {
    HttpResponse r;
    r.status = status;
    r.headers = std::move(headers);
    return r;
}

struct ThrottleCase {
    const char* name;
    HttpResponse response;
    UnixTime until; // 0: no throttle
};
void PrintTo(const ThrottleCase& row, std::ostream* os) {
    *os << row.name;
}

class Throttles : public ::testing::TestWithParam<ThrottleCase> {};

TEST_P(Throttles, ReadTheServersWords) {
    const auto t = throttleFrom(GetParam().response, kNow);
    if (GetParam().until == 0) {
        EXPECT_FALSE(t.has_value());
    } else {
        ASSERT_TRUE(t.has_value());
        EXPECT_EQ(t->until, GetParam().until) << t->reason;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Table, Throttles,
    ::testing::Values(
        ThrottleCase{"mastodon_429_iso_reset",
                     withHeaders(429, {{"x-ratelimit-limit", "300"},
                                       {"x-ratelimit-remaining", "0"},
                                       {"x-ratelimit-reset", "2026-06-13T09:35:00.996774Z"}}),
                     kNow + 300},
        ThrottleCase{"mastodon_used_up_on_200",
                     withHeaders(200, {{"x-ratelimit-remaining", "0"},
                                       {"x-ratelimit-reset", "2026-06-13T09:31:00Z"}}),
                     kNow + 60},
        ThrottleCase{"mastodon_plenty_left",
                     withHeaders(200, {{"x-ratelimit-remaining", "299"},
                                       {"x-ratelimit-reset", "2026-06-13T09:35:00Z"}}),
                     0},
        ThrottleCase{"bluesky_retry_after_seconds",
                     withHeaders(429, {{"ratelimit-limit", "3000"},
                                       {"ratelimit-remaining", "0"},
                                       {"ratelimit-reset", "1781343900"},
                                       {"retry-after", "120"}}),
                     kNow + 120},
        ThrottleCase{"x_epoch_reset",
                     withHeaders(429, {{"x-rate-limit-limit", "450"},
                                       {"x-rate-limit-remaining", "0"},
                                       {"x-rate-limit-reset", "1781343900"}}),
                     kNow + 900},
        ThrottleCase{"retry_after_http_date",
                     withHeaders(503, {{"retry-after", "Sat, 13 Jun 2026 09:40:00 GMT"}}),
                     kNow + 600},
        ThrottleCase{"bare_429", withHeaders(429, {}), kNow + 60},
        ThrottleCase{"bare_503", withHeaders(503, {}), 0}, // ordinary backoff handles it
        ThrottleCase{"reset_in_the_past",
                     withHeaders(429, {{"x-ratelimit-reset", "2026-06-13T09:00:00Z"}}), 0},
        ThrottleCase{"absurd_reset_is_capped", withHeaders(429, {{"retry-after", "99999999"}}),
                     kNow + 6 * 3600}),
    [](const auto& row) { return std::string(row.param.name); });

// A clock that only moves when the code under test sleeps.
struct FakeTime {
    std::int64_t ms = kNow * 1000;
    HostPolicy::ClockMs clock() {
        return [this] { return ms; };
    }
    HostPolicy::SleepMs sleep() {
        return [this](std::int64_t d) { ms += d; };
    }
};

// Records the fake time of each request it is sent.
class TimedClient final : public HttpClient {
public:
    TimedClient(FakeTime& time, std::function<HttpResponse(const HttpRequest&)> answer)
        : time_(time), answer_(std::move(answer)) {}
    HttpResponse send(const HttpRequest& request) override {
        sent.emplace_back(request.url, time_.ms);
        time_.ms += 200; // every request takes a little while
        return answer_(request);
    }
    std::vector<std::pair<std::string, std::int64_t>> sent;

private:
    FakeTime& time_;
    std::function<HttpResponse(const HttpRequest&)> answer_;
};

HttpRequest get(const std::string& url) {
    HttpRequest r;
    r.url = url;
    return r;
}

HttpResponse okJson(const HttpRequest&) {
    HttpResponse r;
    r.status = 200;
    r.body = "[]";
    return r;
}

TEST(HostPolicy, SpacesRequestsToOneHostAfterAStartBurstButNotAcrossHosts) {
    FakeTime time;
    HostPolicy policy(time.clock(), time.sleep(), 1000, 0);
    TimedClient inner(time, okJson);
    // A source's first requests (the server's settings, then the timeline) go at once.
    for (int i = 0; i < HostPolicy::kStartBurst; ++i) {
        policy.send(inner, get("https://a.example/start" + std::to_string(i)));
    }
    for (const char* url : {"https://a.example/1", "https://a.example/2", "https://b.example/1"}) {
        policy.send(inner, get(url));
    }
    const std::size_t burst = HostPolicy::kStartBurst;
    ASSERT_EQ(inner.sent.size(), burst + 3);
    for (std::size_t i = 1; i < burst; ++i) {
        EXPECT_EQ(inner.sent[i].second - inner.sent[i - 1].second, 200) << i; // one at a time
    }
    EXPECT_EQ(inner.sent[burst].second - inner.sent[burst - 1].second, 1200); // 200 ms + 1 s
    EXPECT_EQ(inner.sent[burst + 1].second - inner.sent[burst].second, 1200);
    EXPECT_EQ(inner.sent[burst + 2].second - inner.sent[burst + 1].second, 200); // another host
}

TEST(HostPolicy, JitterStaysWithinItsBound) {
    FakeTime time;
    HostPolicy policy(time.clock(), time.sleep(), 1000, 500);
    TimedClient inner(time, okJson);
    for (int i = 0; i < 20; ++i) {
        policy.send(inner, get("https://a.example/x"));
    }
    for (std::size_t i = HostPolicy::kStartBurst; i < inner.sent.size(); ++i) {
        const auto gap = inner.sent[i].second - inner.sent[i - 1].second;
        EXPECT_GE(gap, 1200);
        EXPECT_LE(gap, 1700);
    }
}

// Media hosts: a few downloads at once, never more, and no spacing between them.
TEST(HostPolicy, AMediaHostTakesAFewRequestsAtOnce) {
    HostPolicy policy(systemClockMs(), systemSleepMs(), 0, 0, 3);
    struct Gate final : HttpClient {
        std::mutex m;
        std::condition_variable cv;
        int inside = 0, most = 0, done = 0;
        HttpResponse send(const HttpRequest&) override {
            std::unique_lock lock(m);
            most = std::max(most, ++inside);
            cv.notify_all();
            // Held until three are inside together (or a second has passed), then let go.
            cv.wait_for(lock, std::chrono::seconds(1), [&] { return inside >= 3 || done > 0; });
            --inside;
            ++done;
            cv.notify_all();
            HttpResponse r;
            r.status = 200;
            return r;
        }
    } gate;
    std::vector<std::thread> downloads;
    for (int i = 0; i < 8; ++i) {
        downloads.emplace_back(
            [&, i] { policy.send(gate, get("https://files.example/" + std::to_string(i))); });
    }
    for (auto& d : downloads) {
        d.join();
    }
    EXPECT_EQ(gate.done, 8);
    EXPECT_EQ(gate.most, 3);
}

TEST(HostPolicy, HonoursAWaitWithoutSendingAnything) {
    FakeTime time;
    HostPolicy policy(time.clock(), time.sleep(), 1000, 0);
    int calls = 0;
    TimedClient inner(time, [&calls](const HttpRequest&) {
        ++calls;
        return calls == 1 ? withHeaders(429, {{"retry-after", "120"}}) : okJson(get(""));
    });
    EXPECT_EQ(policy.send(inner, get("https://a.example/1")).status, 429);
    const HttpResponse held = policy.send(inner, get("https://a.example/2"));
    EXPECT_EQ(held.status, 0);
    EXPECT_EQ(held.error, "not asking a.example before 2026-06-13T09:32:00Z (HTTP 429, "
                          "Retry-After 120)");
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(policy.blockedUntil("a.example"), kNow + 120);
    EXPECT_EQ(policy.blockedUntil("b.example"), 0);
    time.ms += 120 * 1000;
    EXPECT_EQ(policy.send(inner, get("https://a.example/3")).status, 200);
    EXPECT_EQ(calls, 2);
}

TEST(HostPolicy, FileUrlsPassStraightThrough) {
    FakeTime time;
    HostPolicy policy(time.clock(), time.sleep(), 1000, 0);
    TimedClient inner(time, okJson);
    policy.send(inner, get("file:///tmp/a.json"));
    policy.send(inner, get("file:///tmp/a.json"));
    EXPECT_EQ(inner.sent[1].second - inner.sent[0].second, 200);
}

std::shared_ptr<Source> mastodon(const std::string& server, const std::string& tag) {
    MastodonSource::Settings s;
    s.server = server;
    s.hashtags = {tag};
    s.interval = std::chrono::seconds(30);
    return std::make_shared<MastodonSource>(s);
}

TEST(FetchSchedule, ADayOfPollingOnAControllableClock) {
    FakeTime time;
    HostPolicy policy(time.clock(), time.sleep(), 1000, 0);
    std::vector<std::pair<std::string, UnixTime>> log; // (url, second) of every request
    int timelineCalls = 0;
    auto answer = [&](const HttpRequest& r) {
        log.emplace_back(r.url, time.ms / 1000);
        if (r.url.find("/api/v2/instance") != std::string::npos) {
            return withHeaders(404, {});
        }
        if (r.url.rfind("https://busy.example/", 0) == 0 && ++timelineCalls == 3) {
            // The third poll hits the rate limit: Mastodon sends no Retry-After, only the reset.
            return withHeaders(429, {{"x-ratelimit-remaining", "0"},
                                     {"x-ratelimit-reset", formatIsoTime(time.ms / 1000 + 600)}});
        }
        return okJson(r);
    };
    // Answers from the script above, on the fake clock.
    struct Scripted final : HttpClient {
        std::function<HttpResponse(const HttpRequest&)> f;
        HttpResponse send(const HttpRequest& r) override { return f(r); }
    };
    FetchWorker scripted(
        {mastodon("https://busy.example", "Camp"), mastodon("https://calm.example", "Camp")},
        [&] {
            auto inner = std::make_unique<Scripted>();
            inner->f = answer;
            return std::make_unique<PoliteHttpClient>(std::move(inner), policy);
        },
        {}, [](std::vector<Post>) {}, [&time] { return UnixTime(time.ms / 1000); }, &policy);
    const UnixTime start = time.ms / 1000;
    UnixTime next = scripted.runDue(start);
    while (next < start + 3600) {
        time.ms = std::max<std::int64_t>(time.ms, next * 1000);
        next = scripted.runDue(time.ms / 1000);
    }
    std::vector<UnixTime> busy, calm;
    for (const auto& [url, at] : log) {
        if (url.find("/timelines/tag/") == std::string::npos) {
            continue;
        }
        (url.rfind("https://busy.example/", 0) == 0 ? busy : calm).push_back(at - start);
    }
    // The calm server is polled every 30 s all hour long (plus the requests' own time).
    ASSERT_GE(calm.size(), 110u);
    for (std::size_t i = 1; i < calm.size(); ++i) {
        EXPECT_GE(calm[i] - calm[i - 1], 30);
        EXPECT_LE(calm[i] - calm[i - 1], 32);
    }
    // The busy one: polls at 0, 30, 60 (429 with reset at +600 from then), then nothing until
    // the reset has passed.
    ASSERT_GE(busy.size(), 4u);
    EXPECT_LE(busy[2], 62);
    EXPECT_GE(busy[3], busy[2] + 600);
    const auto health = scripted.health();
    EXPECT_TRUE(health[0].ok); // recovered after the wait
    EXPECT_TRUE(health[1].ok);
}

} // namespace
} // namespace kiosk
