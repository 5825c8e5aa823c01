// Coming back after an outage, on a controllable clock: the venue's Wi-Fi gone for two minutes
// or two hours, the server refusing connections or answering 500, and then healthy again. Every
// source must be polled again within 60 s of the recovery; a time the server named (429 with
// Retry-After) is still honoured to the second, and a server that said "not allowed" (401) is
// still asked less and less often.
#include "kiosk/fetch/FetchWorker.h"
#include "kiosk/net/HostPolicy.h"
#include "kiosk/sources/Mastodon.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace kiosk {
namespace {

constexpr UnixTime kStart = 1784000000;

enum class Fault { Refused, ServerError, RateLimited, NotAllowed };

// One Mastodon source whose server is down with `fault` from `from` to `until` (seconds after
// the start) and healthy otherwise; runDue steps the clock from poll to poll.
class Outage {
public:
    Outage(Fault fault, UnixTime from, UnixTime until) : fault_(fault), from_(from), until_(until) {
        timeline_ = test::readFile(test::fixture("mastodon/tag_timeline_mixed.json"));
        policy_ = std::make_unique<HostPolicy>([this] { return clockMs_.load(); },
                                               [this](std::int64_t ms) { clockMs_ += ms; }, 0, 0);
        MastodonSource::Settings s;
        s.server = "https://harbour.example";
        s.hashtags = {"HarbourCamp"};
        s.interval = std::chrono::seconds(30);
        worker_ = std::make_unique<FetchWorker>(
            std::vector<std::shared_ptr<Source>>{std::make_shared<MastodonSource>(s)},
            [this] {
                auto fake = std::make_unique<test::FakeHttpClient>();
                fake->on("https://harbour.example/",
                         [this](const HttpRequest&) { return answer(); });
                return std::make_unique<PoliteHttpClient>(std::move(fake), *policy_);
            },
            PollSettings{}, [](std::vector<Post>) {}, [this] { return now(); }, policy_.get());
    }

    // Runs the worker until `until` seconds after the start; returns the request times (seconds
    // after the start) that reached the server.
    std::vector<UnixTime> run(UnixTime until) {
        UnixTime next = worker_->runDue(now());
        while (next <= kStart + until) {
            clockMs_ = std::max<std::int64_t>(clockMs_.load(), next * 1000);
            next = worker_->runDue(now());
        }
        return asked_;
    }
    // The first request at or after `t` seconds after the start; -1 when none came.
    UnixTime firstAskAfter(UnixTime t) const {
        for (UnixTime a : asked_) {
            if (a >= t) {
                return a;
            }
        }
        return -1;
    }

private:
    UnixTime now() const { return UnixTime(clockMs_.load() / 1000); }
    HttpResponse answer() {
        const UnixTime t = now() - kStart;
        asked_.push_back(t);
        HttpResponse r;
        if (t < from_ || t >= until_) {
            r.status = 200;
            r.body = timeline_;
            return r;
        }
        switch (fault_) {
        case Fault::Refused:
            r.error = "Failed to connect to harbour.example port 443: Connection refused";
            break;
        case Fault::ServerError:
            r.status = 500;
            r.body = "<html>Internal Server Error</html>";
            break;
        case Fault::RateLimited:
            r.status = 429;
            r.headers["retry-after"] = "900";
            r.body = R"({"error":"Too many requests"})";
            break;
        case Fault::NotAllowed:
            r.status = 401;
            r.body = R"({"error":"This method requires an authenticated user"})";
            break;
        }
        return r;
    }

    Fault fault_;
    UnixTime from_, until_;
    std::string timeline_;
    std::atomic<std::int64_t> clockMs_{kStart * 1000};
    std::unique_ptr<HostPolicy> policy_;
    std::unique_ptr<FetchWorker> worker_;
    std::vector<UnixTime> asked_;
};

TEST(Recovery, TwoMinutesWithoutNetworkThenPolledWithinAMinute) {
    Outage outage(Fault::Refused, 100, 220);
    outage.run(600);
    const UnixTime back = outage.firstAskAfter(220);
    ASSERT_GE(back, 220);
    EXPECT_LE(back - 220, 60);
}

TEST(Recovery, TwoHoursWithoutNetworkThenPolledWithinAMinute) {
    Outage outage(Fault::Refused, 100, 100 + 2 * 3600);
    const auto asked = outage.run(2 * 3600 + 600);
    const UnixTime back = outage.firstAskAfter(100 + 2 * 3600);
    ASSERT_GE(back, 0);
    EXPECT_LE(back - (100 + 2 * 3600), 60);
    // And it did not hammer the dead network meanwhile: at least 30 s between polls (a poll
    // may make more than one request).
    int polls = 0;
    for (std::size_t i = 1; i < asked.size(); ++i) {
        if (asked[i] != asked[i - 1]) {
            ++polls;
            EXPECT_GE(asked[i] - asked[i - 1], 30)
                << "polls at " << asked[i - 1] << ", " << asked[i];
        }
    }
    EXPECT_LE(polls, 2 * 3600 / 30 + 20);
}

TEST(Recovery, TwoHoursOfServerErrorsThenPolledWithinAMinute) {
    Outage outage(Fault::ServerError, 100, 100 + 2 * 3600);
    outage.run(2 * 3600 + 600);
    const UnixTime back = outage.firstAskAfter(100 + 2 * 3600);
    ASSERT_GE(back, 0);
    EXPECT_LE(back - (100 + 2 * 3600), 60);
}

TEST(Recovery, ATimeTheServerNamedIsHonouredToTheSecond) {
    // The server says "come back in 900 s" at its first 429: nothing is sent before then.
    Outage outage(Fault::RateLimited, 100, 200);
    outage.run(1500);
    const UnixTime limited = outage.firstAskAfter(100);
    ASSERT_GE(limited, 100);
    ASSERT_LT(limited, 200);
    const UnixTime next = outage.firstAskAfter(limited + 1);
    EXPECT_GE(next, limited + 900);
    EXPECT_LE(next, limited + 901);
}

TEST(Recovery, AServerThatSaysNoIsAskedLessAndLessOften) {
    Outage outage(Fault::NotAllowed, 100, 100 + 2 * 3600);
    const auto asked = outage.run(2 * 3600);
    ASSERT_GE(asked.size(), 3u);
    // Twenty minutes into it, the waits are far beyond a minute (up to 15 minutes).
    UnixTime longest = 0;
    for (std::size_t i = 1; i < asked.size(); ++i) {
        longest = std::max(longest, asked[i] - asked[i - 1]);
    }
    EXPECT_GE(longest, 450);
    EXPECT_LE(longest, 900);
}

TEST(Backoff, OutagesStopGrowingAtAMinute) {
    using std::chrono::seconds;
    for (FailureKind kind : {FailureKind::Connectivity, FailureKind::Server}) {
        EXPECT_EQ(backoffDelay(seconds(30), 1, 0.0, kind), seconds(30));
        EXPECT_LE(backoffDelay(seconds(30), 30, 0.999, kind), seconds(60));
        EXPECT_GE(backoffDelay(seconds(30), 30, 0.0, kind), seconds(30));
        // A feed polled every 5 minutes is back within a minute too.
        EXPECT_LE(backoffDelay(seconds(300), 1, 0.999, kind), seconds(60));
    }
    EXPECT_GE(backoffDelay(seconds(30), 30, 0.0, FailureKind::Other), seconds(450));
}

} // namespace
} // namespace kiosk
