// The config error table: syntax errors with line and column, wrong types, unknown keys with a
// suggestion, missing required fields, and the good shipped configs.
#include "kiosk/config/Config.h"
#include "kiosk/base/ConfigReader.h"
#include "kiosk/sources/Source.h"
#include "kiosk/sources/SourceRegistry.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

namespace kiosk {
namespace {

struct ConfigCase {
    const char* name;
    const char* json;
    const char* error; // a substring every good error message contains
};
// Test names show the row, not its bytes.
void PrintTo(const ConfigCase& row, std::ostream* os) {
    *os << row.name;
}

class ConfigErrorsTable : public ::testing::TestWithParam<ConfigCase> {};

TEST_P(ConfigErrorsTable, NamesTheProblem) {
    const auto result = parseConfig(GetParam().json, "wall.json");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().find(GetParam().error), std::string::npos) << result.error();
    EXPECT_EQ(result.error().rfind("wall.json:", 0), 0u) << result.error();
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigErrorsTable,
    ::testing::Values(
        ConfigCase{"missing_comma", "{\n  \"event\": {\"name\": \"x\"}\n  \"sources\": []\n}",
                   "wall.json:3:3: "},
        ConfigCase{"trailing_comma", "{\"sources\": [],}", "wall.json:1:16: "},
        ConfigCase{"unterminated_string", "{\n\"event\": {\"name\": \"x}\n}", "wall.json:2:"},
        ConfigCase{"empty_file", "", "wall.json:1:1: "},
        ConfigCase{"number_beyond_double", "{\"display\":\n {\"card_seconds\": 8e8888}}",
                   "wall.json:2:19: number too large to read"},
        // fuzz_config's finding (CI, 2026-11-30): the library threw out_of_range, not
        // parse_error, and the wall died with std::terminate.
        ConfigCase{"fuzz_number_overflow", "\n 8e8888888888f888888\"",
                   "wall.json:2:2: number too large to read"},
        ConfigCase{"not_an_object", "[1, 2]", "wall.json:1:1: expected a JSON object"},
        ConfigCase{"hashtags_not_strings",
                   R"({"sources": [{"type": "wordpress", "site": "https://b.example"},
                      {"type": "mastodon", "server": "https://m.example", "hashtags": "Camp"}]})",
                   "sources[1].hashtags: expected a list of strings"},
        ConfigCase{"hashtags_numbers",
                   R"({"sources": [{"type": "mastodon", "server": "https://m.example",
                      "hashtags": [1, 2]}]})",
                   "sources[0].hashtags: expected a list of strings"},
        ConfigCase{"missing_server", R"({"sources": [{"type": "mastodon", "hashtags": ["Camp"]}]})",
                   "sources[0].server: required"},
        ConfigCase{"missing_type", R"({"sources": [{"server": "https://m.example"}]})",
                   "sources[0].type: required"},
        ConfigCase{"unknown_type", R"({"sources": [{"type": "myspace"}]})",
                   "sources[0].type: unknown source type \"myspace\" (known: mastodon, "
                   "wordpress"},
        ConfigCase{"unknown_key_suggestion",
                   R"({"sources": [{"type": "mastodon", "server": "https://m.example",
                      "hashtags": ["Camp"], "hashtag": ["x"]}]})",
                   "sources[0].hashtag: unknown key, did you mean \"hashtags\"?"},
        ConfigCase{"unknown_top_level", R"({"sourcs": []})",
                   "sourcs: unknown key, did you mean \"sources\"?"},
        ConfigCase{"unknown_key_far_off", R"({"display": {"colour_scheme": "x"}})",
                   "display.colour_scheme: unknown key"},
        ConfigCase{"wrong_number_type", R"({"display": {"card_seconds": "ten"}})",
                   "display.card_seconds: expected a whole number"},
        ConfigCase{"number_out_of_range", R"({"display": {"card_seconds": 1}})",
                   "display.card_seconds: expected a number from 3 to 600, got 1"},
        ConfigCase{"bad_theme", R"({"display": {"theme": "neon"}})",
                   "display.theme: expected \"dark\", \"light\" or \"high-contrast\""},
        ConfigCase{"server_not_url",
                   R"({"sources": [{"type": "mastodon", "server": "mastodon.social",
                      "hashtags": ["Camp"]}]})",
                   "sources[0].server: expected an https:// URL"},
        ConfigCase{"hashtag_with_space",
                   R"({"sources": [{"type": "mastodon", "server": "https://m.example",
                      "hashtags": ["two words"]}]})",
                   "sources[0].hashtags: \"two words\" is not a hashtag"},
        ConfigCase{"wordpress_post_ids", R"({"sources": [{"type": "wordpress",
                      "site": "https://b.example", "posts": ["12"]}]})",
                   "sources[0].posts: expected a list of whole numbers"},
        ConfigCase{"weight_for_unknown_source",
                   R"({"schedule": {"source_weights": {"mastodn": 2}}})",
                   "schedule.source_weights.mastodn: unknown source type \"mastodn\" (known: "
                   "mastodon, wordpress"},
        ConfigCase{"group_broker_not_mqtt",
                   R"({"group": {"broker": "http://10.0.0.2", "name": "camp", "screen": "hall"}})",
                   "group.broker: expected mqtt://HOST[:PORT] or mqtts://HOST[:PORT]"},
        ConfigCase{"group_broker_beyond_loopback_without_credentials",
                   R"({"group": {"broker": "mqtt://10.0.0.2", "name": "camp", "screen": "hall"}})",
                   "group.username: a broker beyond this machine (10.0.0.2) needs username and "
                   "password"},
        ConfigCase{
            "group_screen_with_wildcard",
            R"({"group": {"broker": "mqtt://127.0.0.1", "name": "camp", "screen": "ha#ll"}})",
            "group.screen: expected 1 to 40 letters, digits, '-' or '_'"},
        ConfigCase{"group_without_name",
                   R"({"group": {"broker": "mqtt://127.0.0.1", "screen": "hall"}})",
                   "group.name: "},
        ConfigCase{"venue_without_the_control_page",
                   R"({"admin": {"enabled": false}, "venue": {"enabled": true}})",
                   "venue.enabled: the attendee page is served by the control page"},
        ConfigCase{"venue_posts_per_device_zero",
                   R"({"venue": {"enabled": true, "posts_per_device": 0}})",
                   "venue.posts_per_device"},
        ConfigCase{"number_beyond_every_integer",
                   R"({"venue": {"enabled": true, "posts_per_device": 18446744073709551615}})",
                   "venue.posts_per_device: expected a number from 1 to 100, got "
                   "18446744073709551615"},
        ConfigCase{"venue_url_not_web",
                   R"({"venue": {"enabled": true, "url": "wall.camp.lan:8080/post"}})",
                   "venue.url: expected the attendee page's web address"},
        ConfigCase{"venue_url_without_host",
                   R"({"venue": {"enabled": true, "url": "http:///post"}})", "venue.url: "},
        ConfigCase{"venue_unknown_key", R"({"venue": {"enabled": true, "aprove_first": false}})",
                   "venue.aprove_first"},
        ConfigCase{"section_not_object", R"({"event": "Camp"})", "event: expected an object"},
        ConfigCase{"source_not_object", R"({"sources": ["mastodon"]})",
                   "sources[0]: expected an object"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Config, ReportsEveryProblemNotJustTheFirst) {
    const auto result = parseConfig(
        R"({"display": {"card_seconds": "x"}, "sources": [{"type": "mastodon"}]})", "w.json");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().find("display.card_seconds"), std::string::npos);
    EXPECT_NE(result.error().find("sources[0].server"), std::string::npos);
    EXPECT_NE(result.error().find("sources[0].hashtags"), std::string::npos);
}

// A key from a request or a group message may be 64 KB; "did you mean" compares it with every
// known key, and the distance is only worth working out when the lengths are close.
TEST(Config, EditDistanceGivesUpOnWordsTooFarApart) {
    EXPECT_EQ(editDistanceWithin("hashtag", "hashtags", 2), 1u);
    EXPECT_EQ(editDistanceWithin("sourcs", "sources", 2), 1u);
    EXPECT_EQ(editDistanceWithin("server", "sources", 2), 3u); // beyond the limit
    EXPECT_EQ(editDistanceWithin(std::string(65'000, 'C') + "type", "type", 2), 3u);
    EXPECT_EQ(editDistanceWithin("", "ab", 2), 2u);
    const auto result =
        parseConfig(R"({"sources": [{"type": "mastodon", ")" + std::string(60'000, 'x') +
                        R"(": 1, "hashtag": ["Camp"], "server": "https://social.example"}]})",
                    "w.json");
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().find("unknown key, did you mean \"hashtags\"?"), std::string::npos);
    // The 60 KB key is named by its start, not echoed whole.
    EXPECT_NE(result.error().find("sources[0]." + std::string(64, 'x') + "...: unknown key"),
              std::string::npos)
        << result.error().substr(0, 300);
    EXPECT_LT(result.error().size(), 1000u);
}

TEST(Config, ReadsAGoodConfig) {
    const auto result = parseConfig(R"({
        "event": {"name": "Camp", "hashtags": ["#Camp", "Camp26"]},
        "display": {"card_seconds": 20, "theme": "light"},
        "network": {"contact": "https://camp.example/wall", "timeout_seconds": 15},
        "sources": [
            {"type": "mastodon", "server": "https://m.example/", "hashtags": ["Camp"]},
            {"type": "wordpress", "site": "https://blog.example", "posts": [3, 4]}
        ]})",
                                    "/etc/kiosk/kiosk.json");
    ASSERT_TRUE(result.ok()) << result.error();
    EXPECT_EQ(result->event.hashtags, (std::vector<std::string>{"Camp", "Camp26"}));
    EXPECT_EQ(callToActionText(result->event), "Post with #Camp");
    EXPECT_EQ(result->display.pace.minSeconds, 20); // card_seconds fixes the time
    EXPECT_EQ(result->display.pace.maxSeconds, 20);
    EXPECT_EQ(result->network.timeoutSeconds, 15);
    ASSERT_EQ(result->sources.size(), 2u);
    EXPECT_EQ(result->sources[0].label, "mastodon #Camp @ m.example");
    EXPECT_EQ(result->sources[1].label, "wordpress blog.example post 3,4");
}

TEST(Config, TransitionNoneIsACleanCut) {
    auto none =
        parseConfig(R"({"display": {"transition": "none", "transition_ms": 900}})", "w.json");
    ASSERT_TRUE(none) << none.error();
    EXPECT_EQ(none->display.transitionMs, 0);
    auto slide = parseConfig(R"({"display": {"transition": "slide"}})", "w.json");
    ASSERT_TRUE(slide) << slide.error();
    EXPECT_TRUE(slide->display.slide);
    EXPECT_EQ(slide->display.transitionMs, 800);
    auto wrong = parseConfig(R"({"display": {"transition": "wipe"}})", "w.json");
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error().find("display.transition: expected \"fade\", \"slide\" or \"none\""),
              std::string::npos)
        << wrong.error();
}

TEST(Config, ShippedConfigsAreValid) {
    std::vector<std::string> paths = {std::string(KIOSK_SOURCE_DIR) + "/config/kiosk.json"};
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(KIOSK_SOURCE_DIR) + "/config/examples")) {
        paths.push_back(entry.path().string());
    }
    EXPECT_GE(paths.size(), 6u);
    for (const auto& path : paths) {
        const auto result = loadConfigFile(path);
        EXPECT_TRUE(result.ok()) << path << ": " << result.error();
        EXPECT_FALSE(result.ok() && result->sources.empty()) << path;
    }
}

TEST(Config, MissingFileIsNamed) {
    const auto result = loadConfigFile("/nonexistent/kiosk.json");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), "/nonexistent/kiosk.json: cannot open the config file");
}

} // namespace
} // namespace kiosk

namespace kiosk {
namespace {

TEST(Config, ReadsAWallGroup) {
    const auto config = parseConfig(R"({"group": {"broker": "mqtts://broker.camp.example:8884",
        "name": "camp26", "screen": "cafe", "username": "walls", "password": "s3cret-enough"}})",
                                    "group.json");
    ASSERT_TRUE(config) << config.error();
    const GroupConfig& g = config->group;
    EXPECT_TRUE(g.enabled);
    EXPECT_TRUE(g.tls);
    EXPECT_EQ(g.host, "broker.camp.example");
    EXPECT_EQ(g.port, 8884);
    EXPECT_EQ(g.name, "camp26");
    EXPECT_EQ(g.screen, "cafe");
    const auto alone = parseConfig("{}", "alone.json");
    ASSERT_TRUE(alone);
    EXPECT_FALSE(alone->group.enabled); // without the block nothing changes
    const auto local = parseConfig(
        R"({"group": {"broker": "mqtt://[::1]", "name": "camp", "screen": "hall"}})", "l.json");
    ASSERT_TRUE(local) << local.error(); // loopback: no credentials needed
    EXPECT_EQ(local->group.host, "::1");
    EXPECT_EQ(local->group.port, 1883);
}

// The source table's key lists are what the control page trusts for secrets and addresses: a
// key a factory does not read (a typo, a renamed key) would leave a secret unprotected.
TEST(SourceTable, EveryKeyARowNamesIsOneItsSourceReads) {
    for (const auto& type : sourceTypes()) {
        if (!type.create) {
            continue;
        }
        for (const char* list :
             {type.secretKeys, type.addressKeys, type.accountKeys, type.fileKeys}) {
            std::istringstream keys(list);
            for (std::string key; keys >> key;) {
                nlohmann::json source = {{"type", type.name}, {key, "x"}};
                const auto result =
                    parseConfig(nlohmann::json{{"sources", {source}}}.dump(), "table.json");
                const std::string unknown = "sources[0]." + key + ": unknown key";
                EXPECT_TRUE(result.ok() || result.error().find(unknown) == std::string::npos)
                    << type.name << ": " << result.error();
            }
        }
        EXPECT_STRNE(type.displayName, "");
    }
    EXPECT_TRUE(listsKey("server url", "url"));
    EXPECT_FALSE(listsKey("server url", "ur"));
}

} // namespace
} // namespace kiosk
