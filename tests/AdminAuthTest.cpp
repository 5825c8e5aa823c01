// The control page's doors, over real HTTP on 127.0.0.1: every endpoint refuses without the
// token, wrong tokens are counted and then locked out, the login cookie is HttpOnly and
// SameSite=Strict, state changes need the session's CSRF token, sessions expire, bodies are
// size-limited and malformed ones get a 400 naming what is wrong. Static files carry a CSP.
#include "AdminHarness.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>
#include <unistd.h>

namespace kiosk::test {
namespace {

using nlohmann::json;

struct Endpoint {
    std::string method;
    std::string path;
};

// Every row of the route table the organiser must be logged in for, so a route added later is
// covered without touching this test. A row that covers a folder is asked for a path inside it.
std::vector<Endpoint> organiserEndpoints() {
    std::vector<Endpoint> out;
    for (const auto& route : AdminApi::routes()) {
        if (route.caller == AdminApi::Caller::Organiser) {
            const std::string path = route.path;
            out.push_back({route.method, path.back() == '/' ? path + "00ff" : path});
        }
    }
    return out;
}

const std::vector<Endpoint> kEndpoints = organiserEndpoints();

httplib::Result request(httplib::Client& c, const Endpoint& e, const httplib::Headers& headers,
                        const std::string& body = R"({"id":"x"})") {
    const std::string& m = e.method;
    if (m == "GET") {
        return c.Get(e.path, headers);
    }
    return m == "PUT" ? c.Put(e.path, headers, body, "application/json")
                      : c.Post(e.path, headers, body, "application/json");
}

using AdminAuthTest = AdminHarness;

TEST_F(AdminAuthTest, EveryEndpointRefusesWithoutToken) {
    auto c = client();
    ASSERT_GE(kEndpoints.size(), 23u) << "the route table lost rows";
    for (const auto& e : kEndpoints) {
        auto res = request(c, e, {});
        ASSERT_TRUE(res) << e.path;
        EXPECT_EQ(res->status, 401) << e.method << " " << e.path;
        EXPECT_NE(res->body.find("log in first"), std::string::npos) << e.path;
    }
    // Nothing changed behind the refusals.
    EXPECT_EQ(db->loadPost(queued.id)->verdict, Verdict::Queue);
}

TEST_F(AdminAuthTest, EveryEndpointRefusesAWrongToken) {
    auto c = client();
    int refused = 0;
    for (const auto& e : kEndpoints) {
        auto res = request(c, e, {{"Authorization", "Bearer camp-wall-token-2025"}});
        ASSERT_TRUE(res) << e.path;
        // Five wrong tries are answered 401; then this client must wait (429 + Retry-After).
        if (refused < AdminAuth::kFreeAttempts - 1) {
            EXPECT_EQ(res->status, 401) << e.path;
        } else {
            EXPECT_EQ(res->status, 429) << e.path;
            EXPECT_FALSE(res->get_header_value("Retry-After").empty());
        }
        ++refused;
        if (refused == 6) {
            break; // each wrong answer is held back a second; six make the point
        }
    }
}

TEST_F(AdminAuthTest, WrongLoginsAreLimitedPerClientAndForgivenLater) {
    for (int i = 0; i < AdminAuth::kFreeAttempts; ++i) {
        auto res = postLogin("guess-" + std::to_string(i));
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, i < AdminAuth::kFreeAttempts - 1 ? 401 : 429) << i;
        EXPECT_TRUE(res->get_header_value("Set-Cookie").empty());
    }
    // Locked out: even the right token waits, but never longer than kMaxLockout.
    auto locked = postLogin(kAdminToken);
    ASSERT_TRUE(locked);
    EXPECT_EQ(locked->status, 429);
    EXPECT_LE(std::stoi(locked->get_header_value("Retry-After")), AdminAuth::kMaxLockout);
    now += AdminAuth::kMaxLockout;
    auto later = postLogin(kAdminToken);
    ASSERT_TRUE(later);
    EXPECT_EQ(later->status, 200);
}

TEST_F(AdminAuthTest, LoginCookieIsHttpOnlyStrictAndWorksForReading) {
    auto c = client();
    auto res = postLogin(kAdminToken);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    const std::string cookie = res->get_header_value("Set-Cookie");
    EXPECT_NE(cookie.find("kiosk_session="), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Max-Age=3600"), std::string::npos);
    const auto [session, csrf] = login();
    auto status = c.Get("/api/status", {{"Cookie", session}});
    ASSERT_TRUE(status);
    EXPECT_EQ(status->status, 200);
    auto again = c.Get("/api/session", {{"Cookie", session}});
    ASSERT_TRUE(again);
    EXPECT_EQ(json::parse(again->body)["csrf"], csrf); // a reloaded page gets its token back
}

TEST_F(AdminAuthTest, StateChangesNeedTheSessionsCsrfToken) {
    const auto [session, csrf] = login();
    auto c = client();
    const std::string body = R"({"id":")" + queued.id + "\"}";
    auto missing = c.Post("/api/posts/approve", {{"Cookie", session}}, body, "application/json");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 403);
    EXPECT_NE(missing->body.find("X-CSRF-Token"), std::string::npos);
    auto wrong =
        c.Post("/api/posts/approve", {{"Cookie", session}, {"X-CSRF-Token", csrf.substr(1) + "0"}},
               body, "application/json");
    ASSERT_TRUE(wrong);
    EXPECT_EQ(wrong->status, 403);
    EXPECT_EQ(db->loadPost(queued.id)->verdict, Verdict::Queue);
    auto right = c.Post("/api/posts/approve", {{"Cookie", session}, {"X-CSRF-Token", csrf}}, body,
                        "application/json");
    ASSERT_TRUE(right);
    EXPECT_EQ(right->status, 200) << right->body;
    EXPECT_EQ(db->loadPost(queued.id)->verdict, Verdict::Show);
}

TEST_F(AdminAuthTest, SessionsExpireAndLogoutEndsThem) {
    const auto [session, csrf] = login();
    auto c = client();
    now += 3601;
    auto expired = c.Get("/api/status", {{"Cookie", session}});
    ASSERT_TRUE(expired);
    EXPECT_EQ(expired->status, 401);
    EXPECT_NE(expired->body.find("session expired"), std::string::npos);

    const auto [second, csrf2] = login();
    auto out = c.Post("/api/logout", {{"Cookie", second}, {"X-CSRF-Token", csrf2}}, "{}",
                      "application/json");
    ASSERT_TRUE(out);
    EXPECT_EQ(out->status, 200);
    EXPECT_NE(out->get_header_value("Set-Cookie").find("Max-Age=0"), std::string::npos);
    auto after = c.Get("/api/status", {{"Cookie", second}});
    ASSERT_TRUE(after);
    EXPECT_EQ(after->status, 401);
}

TEST_F(AdminAuthTest, OversizeBodiesGet413) {
    auto c = client();
    const std::string big = R"({"text":")" + std::string(70 * 1024, 'a') + "\"}";
    auto res = c.Post("/api/announcements", bearer(), big, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
    EXPECT_NE(res->body.find("larger"), std::string::npos);
    EXPECT_EQ(db->loadAnnouncements().size(), 0u);
}

TEST_F(AdminAuthTest, MalformedRequestsGet400NamingTheField) {
    struct Case {
        const char* method;
        const char* path;
        const char* body;
        const char* mentions;
    };
    const Case cases[] = {
        {"POST", "/api/posts/approve", "{\"id\": ", "request body: not valid JSON"},
        {"POST", "/api/posts/approve", "[1, 2]", "request body: expected a JSON object"},
        {"POST", "/api/posts/hide", "{}", "id: required"},
        {"POST", "/api/posts/pin", R"({"id": 42})", "id: required"},
        {"POST", "/api/blocks", R"({"kind": "planet", "value": "x"})", "kind: expected"},
        {"POST", "/api/blocks", R"({"kind": "author"})", "value: required"},
        {"POST", "/api/announcements", R"({"text": "Hi", "until": "tomorrow"})", "until: expected"},
        {"PUT", "/api/hashtags", R"({"hashtags": "camp"})", "hashtags: required"},
        {"PUT", "/api/hashtags", R"({"hashtags": ["ok", "no spaces"]})", "hashtags[1]"},
        {"PUT", "/api/sources", R"({"sources": {}})", "sources: required"},
        {"PUT", "/api/moderation", R"({})", "mode, panic"},
        {"PUT", "/api/moderation", R"({"panic": true})", "panic: expected a string"},
        {"PUT", "/api/attendees", R"({})", "enabled, qr, approve_first"},
        {"PUT", "/api/attendees", R"({"enabled": "yes"})", "enabled: expected true or false"},
    };
    for (const auto& k : cases) {
        const json body = send(k.method, k.path, k.body, 400);
        EXPECT_NE(body.value("error", "").find(k.mentions), std::string::npos)
            << k.path << " " << k.body << " -> " << body.dump();
    }
    auto c = client();
    auto limit = c.Get("/api/posts?state=queued&limit=lots", bearer());
    ASSERT_TRUE(limit);
    EXPECT_EQ(limit->status, 400);
    EXPECT_NE(limit->body.find("limit"), std::string::npos);
}

TEST_F(AdminAuthTest, UnknownIdsAndEndpointsGet404) {
    for (const char* path :
         {"/api/posts/approve", "/api/posts/hide", "/api/posts/pin", "/api/announcements/delete"}) {
        const json body = send("POST", path, R"({"id": "mastodon:nowhere.example:1"})", 404);
        EXPECT_NE(body.value("error", "").find("mastodon:nowhere.example:1"), std::string::npos);
    }
    send("GET", "/api/nothing", "", 404);
    send("POST", "/api/posts/launch", R"({"id": "x"})", 404);
}

TEST_F(AdminAuthTest, PageFilesCarryAPolicyThatForbidsInlineScript) {
    auto c = client();
    auto page = c.Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_NE(page->body.find("<form id=\"login\""), std::string::npos);
    const std::string csp = page->get_header_value("Content-Security-Policy");
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
    auto script = c.Get("/admin.js");
    ASSERT_TRUE(script);
    EXPECT_EQ(script->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(script->body.find("innerHTML"), std::string::npos); // text only, never markup
    for (const char* path : {"/../CMakeLists.txt", "/config/kiosk.json", "/admin.js.bak"}) {
        auto other = c.Get(path);
        ASSERT_TRUE(other);
        EXPECT_EQ(other->status, 404) << path;
    }
}

TEST(AdminServerTest, RefusesToListenBeyondLoopbackWithoutAToken) {
    AdminAuth auth("", 3600);
    AdminApi api(
        auth, [](auto) { return Reply{}; }, ".", [] { return UnixTime(0); });
    AdminServer server(api);
    auto refused = server.start("0.0.0.0", 0, false);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("admin.token"), std::string::npos);
    auto ok = server.start("127.0.0.1", 0, false);
    EXPECT_TRUE(ok) << ok.error();
}

TEST(AdminConfigTest, CheckRefusesAnOpenListenerWithoutToken) {
    auto config = parseConfig(R"({"admin": {"listen": "0.0.0.0"}})", "wall.json");
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().find("admin.listen"), std::string::npos);
    EXPECT_NE(config.error().find("admin.token"), std::string::npos);
    auto shortToken = parseConfig(R"({"admin": {"token": "abc"}})", "wall.json");
    ASSERT_FALSE(shortToken);
    EXPECT_NE(shortToken.error().find("admin.token"), std::string::npos);
    auto fine = parseConfig(R"({"admin": {"listen": "0.0.0.0", "token": "long-enough-token"}})",
                            "wall.json");
    EXPECT_TRUE(fine) << fine.error();
}

TEST(AdminConfigTest, ListenHostNamesAndTlsAreChecked) {
    const std::pair<const char*, const char*> bad[] = {
        {R"({"admin": {"listen": "127.evil.example"}})", "admin.listen: expected an IP address"},
        {R"({"admin": {"listen": "wall.local", "token": "long-enough-token"}})", "admin.listen"},
        {R"({"admin": {"tls_cert": "cert.pem"}})", "admin.tls_cert: cannot read"},
        {R"({"admin": {"hostnames": "wall.local"}})", "admin.hostnames"},
    };
    for (const auto& [text, message] : bad) {
        auto config = parseConfig(text, "wall.json");
        ASSERT_FALSE(config) << text;
        EXPECT_NE(config.error().find(message), std::string::npos) << config.error();
    }
    const std::string cert = writeTempFile("wall-cert.pem", "-----BEGIN CERTIFICATE-----\n");
    auto halfTls = parseConfig(R"({"admin": {"tls_cert": ")" + cert + "\"}}", "wall.json");
    ASSERT_FALSE(halfTls);
    EXPECT_NE(halfTls.error().find("needs both tls_cert and tls_key"), std::string::npos)
        << halfTls.error();
    auto fine = parseConfig(
        R"({"admin": {"listen": "::", "token": "long-enough-token", "hostnames": ["wall.local"]}})",
        "wall.json");
    ASSERT_TRUE(fine) << fine.error();
    EXPECT_EQ(fine->admin.hostNames, std::vector<std::string>{"wall.local"});
}

TEST(AdminAuthUnit, ConstantTimeEqualsComparesWholeStrings) {
    EXPECT_TRUE(constantTimeEquals("abc", "abc"));
    EXPECT_FALSE(constantTimeEquals("abc", "abd"));
    EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
    EXPECT_FALSE(constantTimeEquals("", "a"));
    EXPECT_NE(randomToken(), randomToken());
    EXPECT_EQ(randomToken().size(), 64u);
}

// A new board listening on the venue network: until someone logs in, the wall shows a link with
// a one-time code. It opens the page once; any first login spends it and the card goes, also
// after a restart (a marker in the state folder).
class SetupLink : public AdminHarness {
protected:
    void SetUp() override {
        state =
            std::filesystem::temp_directory_path() / ("kiosk-setup-" + std::to_string(::getpid()));
        std::filesystem::remove_all(state);
        std::filesystem::create_directories(state / "kiosk");
        if (loggedInBefore()) {
            std::ofstream(state / "kiosk" / "organiser-logged-in") << "yes\n";
        }
        ::setenv("XDG_STATE_HOME", state.c_str(), 1);
        AdminHarness::SetUp();
    }
    void TearDown() override {
        AdminHarness::TearDown();
        ::unsetenv("XDG_STATE_HOME");
        std::filesystem::remove_all(state);
    }
    std::string configText() const override {
        std::string text = kAdminConfig;
        const std::string loopback = "\"listen\": \"127.0.0.1\"";
        text.replace(text.find(loopback), loopback.size(), "\"listen\": \"0.0.0.0\"");
        return text;
    }
    virtual bool loggedInBefore() const { return false; }
    // The card's link as the frame loop draws it (the published config).
    std::string onWall() {
        const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        std::string url = live->config()->event.setupUrl;
        while (url != wall->page()->setupUrl() && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            url = live->config()->event.setupUrl;
        }
        return url;
    }

    std::filesystem::path state;
};

TEST_F(SetupLink, TheCodeOpensThePageOnceAndTheCardGoes) {
    const std::string url = wall->page()->setupUrl();
    const auto at = url.find("/#setup=");
    ASSERT_NE(at, std::string::npos) << url;
    EXPECT_EQ(url.rfind("http://", 0), 0u) << url;
    EXPECT_EQ(onWall(), url);
    const std::string code = url.substr(at + 8);
    EXPECT_EQ(code.size(), 64u);
    EXPECT_NE(code, kAdminToken);

    auto first = postLogin(code);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200) << first->body;
    EXPECT_NE(first->get_header_value("Set-Cookie").find("HttpOnly"), std::string::npos);
    EXPECT_EQ(wall->page()->setupUrl(), "");
    EXPECT_EQ(onWall(), "");
    EXPECT_TRUE(std::filesystem::exists(state / "kiosk" / "organiser-logged-in"));
    // Who came in by the link learns the token from the page, to log in after a restart.
    const std::string cookie = first->get_header_value("Set-Cookie");
    auto c = client();
    auto session = c.Get("/api/session", {{"Cookie", cookie.substr(0, cookie.find(';'))}});
    ASSERT_TRUE(session);
    EXPECT_EQ(json::parse(session->body).value("token", ""), kAdminToken);
    EXPECT_FALSE(json::parse(c.Get("/api/session")->body).contains("token"));
    auto again = postLogin(code);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 401) << "a spent code opens nothing";
    EXPECT_EQ(postLogin(kAdminToken)->status, 200) << "the token still does";
}

TEST_F(SetupLink, ALoginWithTheTokenSpendsTheCodeToo) {
    const std::string url = wall->page()->setupUrl();
    ASSERT_NE(url.find("#setup="), std::string::npos);
    EXPECT_EQ(postLogin(kAdminToken)->status, 200);
    EXPECT_EQ(onWall(), "");
    EXPECT_EQ(postLogin(url.substr(url.find('=') + 1))->status, 401);
}

class SetupLinkAfterALogin : public SetupLink {
protected:
    bool loggedInBefore() const override { return true; }
};

TEST_F(SetupLinkAfterALogin, AWallSomeoneLoggedInToShowsNoLink) {
    EXPECT_EQ(wall->page()->setupUrl(), "");
    EXPECT_EQ(live->config()->event.setupUrl, "");
}

// docs/API.md has one row per route: every route of the table is documented as `METHOD /path`,
// and every such mention in the document is a route (the attendee page's are VenueApi's).
TEST(AdminRoutes, EveryRouteIsInApiMdAndEveryDocumentedRouteExists) {
    const std::string doc = readFile(std::string(KIOSK_SOURCE_DIR) + "/docs/API.md");
    std::set<std::string> routes;
    for (const auto& route : AdminApi::routes()) {
        const std::string mention = std::string("`") + route.method + " " + route.path + "`";
        routes.insert(mention);
        EXPECT_NE(doc.find(mention), std::string::npos) << mention << " is not in docs/API.md";
    }
    const std::regex mention(R"(`(GET|POST|PUT|DELETE) (/api/[a-z/_]+)`)");
    for (std::sregex_iterator it(doc.begin(), doc.end(), mention), end; it != end; ++it) {
        const std::string m = (*it)[0].str();
        if ((*it)[2].str().rfind("/api/venue", 0) != 0) {
            EXPECT_TRUE(routes.count(m)) << m << " is documented but no route answers it";
        }
    }
}

} // namespace
} // namespace kiosk::test
