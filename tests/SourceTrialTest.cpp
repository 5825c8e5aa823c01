// "Try it" on the control page over real HTTP: a source from the form is polled once against a
// mock Mastodon server on 127.0.0.1 and the page hears how many posts came (or the server's own
// words); nothing reaches the wall; a kept secret never goes to an address the form changed.
#include "AdminHarness.h"

#include "kiosk/net/CurlHttpClient.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

namespace kiosk::test {
namespace {

using nlohmann::json;

// Real HTTP to 127.0.0.1 only: the harness's configured sources (.example hosts) are refused
// before any DNS lookup leaves the machine.
class LoopbackOnlyClient : public HttpClient {
public:
    explicit LoopbackOnlyClient(const std::atomic<bool>* cancel) : curl_("kiosk-test", cancel) {}
    HttpResponse send(const HttpRequest& request) override {
        if (request.url.rfind("http://127.0.0.1:", 0) == 0) {
            return curl_.send(request);
        }
        HttpResponse refused;
        refused.error = "only loopback in this test";
        return refused;
    }

private:
    CurlHttpClient curl_;
};

class SourceTrialTest : public AdminHarness {
protected:
    void SetUp() override {
        timeline_ = readFile(fixture("mastodon/tag_timeline_mixed.json"));
        mock_.Get(R"(/api/v1/timelines/tag/(\w+))", [this](const httplib::Request& req,
                                                           httplib::Response& res) {
            {
                std::lock_guard lock(mutex_);
                authorizations_.push_back(req.get_header_value("Authorization"));
            }
            if (req.matches[1] == "Locked") {
                res.status = 401;
                res.set_content(R"({"error":"The access token is invalid"})", "application/json");
                return;
            }
            res.set_content(timeline_, "application/json");
        });
        mockPort_ = mock_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { mock_.listen_after_bind(); });
        for (int i = 0; i < 200 && !mock_.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        AdminHarness::SetUp();
    }
    void TearDown() override {
        AdminHarness::TearDown();
        mock_.stop();
        thread_.join();
    }
    ClientMaker clientMaker() const override {
        return [](const std::atomic<bool>* cancel) {
            return std::make_unique<LoopbackOnlyClient>(cancel);
        };
    }
    std::string mockServer() const { return "http://127.0.0.1:" + std::to_string(mockPort_); }

    json tryIt(const json& source, int status) {
        return send("POST", "/api/sources/try", json{{"source", source}}.dump(), status);
    }

    httplib::Server mock_;
    std::thread thread_;
    int mockPort_ = 0;
    std::string timeline_;
    std::mutex mutex_;
    std::vector<std::string> authorizations_; // guarded by mutex_
};

TEST_F(SourceTrialTest, ANewServerIsPolledOnceAndNothingReachesTheWall) {
    const std::size_t onWall = store().snapshot()->size();
    const json answer = tryIt(
        {{"type", "mastodon"}, {"server", mockServer()}, {"hashtags", {"HarbourCamp", "pier"}}},
        200);
    EXPECT_EQ(answer["ok"], true) << answer.dump();
    EXPECT_EQ(answer["posts"], 4) << "the same four posts under both hashtags: " << answer.dump();
    ASSERT_FALSE(answer["sample"].empty());
    EXPECT_FALSE(answer["sample"][0]["name"].get<std::string>().empty());
    EXPECT_EQ(store().snapshot()->size(), onWall);
    EXPECT_EQ(db->loadPosts(100, Verdict::Show).size(), 1u) << "only the seeded post";
    // The config file is unchanged: trying is not saving.
    EXPECT_EQ(readFile(configPath).find(mockServer()), std::string::npos);
}

TEST_F(SourceTrialTest, TheServersOwnWordsComeBack) {
    const json answer =
        tryIt({{"type", "mastodon"}, {"server", mockServer()}, {"hashtags", {"Locked"}}}, 200);
    EXPECT_EQ(answer["ok"], false);
    const std::string error = answer["error"];
    EXPECT_NE(error.find("401"), std::string::npos) << error;
    EXPECT_NE(error.find("The access token is invalid"), std::string::npos) << error;
}

TEST_F(SourceTrialTest, AFormThatIsNotASourceSaysWhichField) {
    EXPECT_NE(tryIt({{"type", "mastodon"}, {"hashtags", {"HarbourCamp"}}}, 200)["error"]
                  .get<std::string>()
                  .find("sources[0].server"),
              std::string::npos);
    EXPECT_NE(
        tryIt({{"type", "rss"}, {"url", "file:/etc/passwd"}}, 400)["error"].get<std::string>().find(
            "http"),
        std::string::npos);
    send("POST", "/api/sources/try", R"({"source": "mastodon"})", 400);
}

TEST_F(SourceTrialTest, AKeptSecretIsNeverSentToAnAddressTheFormChanged) {
    // The configured Mastodon source's token, asked to go to the mock instead.
    tryIt({{"type", "mastodon"},
           {"server", mockServer()},
           {"hashtags", {"HarbourCamp"}},
           {"token", kHiddenSecret}},
          400);
    std::lock_guard lock(mutex_);
    for (const auto& a : authorizations_) {
        EXPECT_EQ(a.find("mastodon-secret-token"), std::string::npos);
    }
}

} // namespace
} // namespace kiosk::test
