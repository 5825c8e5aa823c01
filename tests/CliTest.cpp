// The command-line contract, driven through the real binary: --help and --version everywhere,
// parse on good and bad input, check's exit codes and message shapes, fetch on the demo.
#include "TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace kiosk {
namespace {

using test::runKiosk;
using test::splitLines;

TEST(Cli, HelpAndVersionOnEveryCommand) {
    for (const std::string command : {"", "parse", "check", "fetch", "shot"}) {
        std::vector<std::string> help = {"--help"}, version = {"--version"};
        if (!command.empty()) {
            help.insert(help.begin(), command);
            version.insert(version.begin(), command);
        }
        const auto h = runKiosk(help);
        EXPECT_EQ(h.exitCode, 0) << command;
        EXPECT_NE(h.out.find("usage: kiosk"), std::string::npos) << command;
        const auto v = runKiosk(version);
        EXPECT_EQ(v.exitCode, 0) << command;
        EXPECT_EQ(v.out, "kiosk " KIOSK_VERSION "\n") << command;
    }
}

TEST(Cli, UnknownCommandAndOption) {
    EXPECT_EQ(runKiosk({"frobnicate"}).exitCode, 2);
    const auto r = runKiosk({"check", "--confg", "x.json"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "kiosk check: unknown option --confg (see --help)\n");
}

TEST(Cli, ParsePrintsOneJsonObjectPerPost) {
    const auto r = runKiosk({"parse", "--format", "mastodon", "--server", "fosstodon.example",
                             test::fixture("mastodon/tag_timeline_mixed.json")});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const auto lines = splitLines(r.out);
    ASSERT_EQ(lines.size(), 4u);
    for (const auto& line : lines) {
        const auto post = nlohmann::json::parse(line);
        EXPECT_EQ(post["id"].get<std::string>().rfind("mastodon:fosstodon.example:", 0), 0u);
    }
    // The skipped records are named on stderr.
    EXPECT_NE(r.err.find("skipped status [5]"), std::string::npos) << r.err;
    const auto wp = runKiosk(
        {"parse", "--format", "wordpress", test::fixture("wordpress/comments_post17.json")});
    EXPECT_EQ(wp.exitCode, 0);
    EXPECT_EQ(splitLines(wp.out).size(), 3u);
}

struct BadParse {
    const char* name;
    std::vector<std::string> args;
    const char* file; // content written to a temp file and appended, or nullptr
    const char* message;
};
// Test names show the row, not its bytes.
void PrintTo(const BadParse& row, std::ostream* os) {
    *os << row.name;
}

class CliBadParse : public ::testing::TestWithParam<BadParse> {};

TEST_P(CliBadParse, ExitsOneWithOneClearLine) {
    auto args = GetParam().args;
    if (GetParam().file) {
        args.push_back(
            test::writeTempFile(std::string(GetParam().name) + ".json", GetParam().file));
    }
    const auto r = runKiosk(args);
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_EQ(r.out, "");
    ASSERT_EQ(splitLines(r.err).size(), 1u) << r.err;
    EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(
    Table, CliBadParse,
    ::testing::Values(
        BadParse{"missing_file",
                 {"parse", "--format", "mastodon", "/nonexistent/x.json"},
                 nullptr,
                 "/nonexistent/x.json: cannot open the file"},
        BadParse{"unknown_format",
                 {"parse", "--format", "myspace", "/dev/null"},
                 nullptr,
                 "unknown format \"myspace\" (known: mastodon, wordpress, bluesky, wpcom, rss, "
                 "atom, jsonfeed, x)"},
        BadParse{"html_instead_of_json",
                 {"parse", "--format", "mastodon"},
                 "<!DOCTYPE html><title>Cloudflare</title>",
                 "not valid JSON"},
        BadParse{"binary_garbage",
                 {"parse", "--format", "wordpress"},
                 "\x01\x02\xff\xfe",
                 "not valid JSON"},
        BadParse{"wrong_shape",
                 {"parse", "--format", "wordpress"},
                 "{\"posts\": []}",
                 "an object that is not a comment"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(Cli, ParseReadsEveryFormatInTheContract) {
    const std::vector<std::tuple<std::string, std::string, std::size_t>> rows = {
        {"mastodon", "mastodon/tag_timeline_mixed.json", 4},
        {"wordpress", "wordpress/comments_post17.json", 3},
        {"bluesky", "bluesky/search_posts.json", 3},
        {"wpcom", "wpcom/post_replies.json", 2},
        {"rss", "feeds/comments_rss2.xml", 3}, // the dateless comment is stamped with now
        {"atom", "feeds/comments_atom.xml", 2},
        {"jsonfeed", "feeds/camp_feed.json", 3},
        {"x", "x/search_recent.json", 3}};
    for (const auto& [format, file, posts] : rows) {
        const auto r = runKiosk({"parse", "--format", format, test::fixture(file)});
        EXPECT_EQ(r.exitCode, 0) << format << ": " << r.err;
        const auto lines = splitLines(r.out);
        EXPECT_EQ(lines.size(), posts) << format;
        for (const auto& line : lines) {
            const auto post = nlohmann::json::parse(line);
            EXPECT_EQ(
                post["id"].get<std::string>().rfind(post["source"].get<std::string>() + ":", 0), 0u)
                << line;
        }
        // Garbage in any format is one clear line and exit 1, never a crash.
        const auto bad = runKiosk({"parse", "--format", format,
                                   test::writeTempFile("garbage-" + format, "\x89PNG\r\n<<>>{")});
        EXPECT_EQ(bad.exitCode, 1) << format;
        EXPECT_EQ(splitLines(bad.err).size(), 1u) << format << ": " << bad.err;
    }
}

TEST(Cli, CheckExitCodesAndMessages) {
    const auto good = runKiosk({"check", "--config", KIOSK_SOURCE_DIR "/config/kiosk.json"});
    EXPECT_EQ(good.exitCode, 0) << good.err;
    const std::string syntax = test::writeTempFile("syntax.json", "{\n  \"event\": {,\n}");
    const auto bad = runKiosk({"check", "--config", syntax});
    EXPECT_EQ(bad.exitCode, 2);
    EXPECT_EQ(bad.err.rfind(syntax + ":2:13: syntax error", 0), 0u) << bad.err;
    const std::string meaning = test::writeTempFile(
        "meaning.json", R"({"sources": [{"type": "wordpress", "site": "https://b.example"},
        {"type": "mastodon", "server": "https://m.example", "hashtags": "Camp"}]})");
    const auto wrong = runKiosk({"check", "--config", meaning});
    EXPECT_EQ(wrong.exitCode, 2);
    EXPECT_EQ(wrong.err, meaning + ": sources[1].hashtags: expected a list of strings\n");
}

TEST(Cli, WallRefusesABadConfigBeforeOpeningAWindow) {
    const std::string meaning = test::writeTempFile("wall.json", R"({"display": {"theme": 3}})");
    const auto r = runKiosk({"--config", meaning});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_NE(r.err.find("display.theme: expected a string"), std::string::npos) << r.err;
}

TEST(Cli, FetchOnceReadsTheOfflineDemo) {
    const auto r = runKiosk({"fetch", "--once", "--config", KIOSK_SOURCE_DIR "/config/kiosk.json"});
    EXPECT_EQ(r.exitCode, 0) << r.err;
    const auto lines = splitLines(r.out);
    EXPECT_GE(lines.size(), 30u);
    std::size_t mastodon = 0, wordpress = 0, rtl = 0, ja = 0, cw = 0, replies = 0;
    for (const auto& line : lines) {
        const auto post = nlohmann::json::parse(line);
        const std::string source = post["source"];
        mastodon += source == "mastodon";
        wordpress += source == "wordpress";
        rtl += post["lang"] == "ar";
        ja += post["lang"] == "ja";
        cw += !post["spoiler"].get<std::string>().empty();
        replies += post["is_reply"].get<bool>();
        EXPECT_NE(post["text"].get<std::string>().find("Followers only"), 0u);
    }
    EXPECT_GE(mastodon, 20u);
    EXPECT_GE(wordpress, 5u);
    EXPECT_GE(rtl, 2u);
    EXPECT_GE(ja, 2u);
    EXPECT_GE(cw, 1u);
    EXPECT_GE(replies, 2u);
    EXPECT_NE(r.err.find("health: mastodon #VCSSCamp @ social.vcss.example: ok"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("health: wordpress blog.vcss.example post 42: ok"), std::string::npos);
}

} // namespace
} // namespace kiosk
