// Real payloads recorded from public servers (../shared/realworld, when present): every
// Mastodon and WordPress file parses without a crash, and the statuses in them come out with
// an author and text where the payload has them.
#include "kiosk/sources/Bluesky.h"
#include "kiosk/sources/Feeds.h"
#include "kiosk/sources/Mastodon.h"
#include "kiosk/sources/WordPress.h"
#include "kiosk/sources/WordPressCom.h"
#include "kiosk/sources/XPosts.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace kiosk {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> filesIn(const std::string& folder, const std::vector<std::string>& exts) {
    std::vector<fs::path> files;
    const fs::path dir = fs::path(KIOSK_REALWORLD) / folder;
    if (!fs::exists(dir)) {
        return files;
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (std::find(exts.begin(), exts.end(), entry.path().extension()) != exts.end()) {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

std::vector<fs::path> jsonFiles(const std::string& folder) {
    return filesIn(folder, {".json"});
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) {
        ++n;
    }
    return n;
}

void expectReadable(const Post& post, const fs::path& file) {
    EXPECT_FALSE(post.author.name.empty()) << file << " " << post.id;
    EXPECT_GT(post.createdAt, 900000000) << file << " " << post.id;
    EXPECT_TRUE(!post.text.empty() || !post.media.empty()) << file << " " << post.id;
    for (const auto& m : post.media) {
        EXPECT_EQ(m.url.rfind("http", 0), 0u) << file << " " << m.url;
    }
}

// Statuses as the payload holds them: a list, one status, or a thread context.
std::vector<nlohmann::json> rawStatuses(const nlohmann::json& doc) {
    std::vector<nlohmann::json> out;
    if (doc.is_array()) {
        out.assign(doc.begin(), doc.end());
    } else if (doc.contains("ancestors")) {
        out.insert(out.end(), doc["ancestors"].begin(), doc["ancestors"].end());
        out.insert(out.end(), doc["descendants"].begin(), doc["descendants"].end());
    } else if (doc.contains("account")) {
        out.push_back(doc);
    }
    return out;
}

TEST(Realworld, MastodonFilesParseWithAuthorsAndText) {
    const auto files = jsonFiles("mastodon");
    if (files.empty()) {
        GTEST_SKIP() << "no ../shared/realworld/mastodon here";
    }
    std::size_t statuses = 0;
    for (const auto& file : files) {
        const std::string body = test::readFile(file.string());
        const auto parsed = parseMastodon(body, {"realworld.example"});
        const auto raw = rawStatuses(nlohmann::json::parse(body));
        if (raw.empty()) {
            EXPECT_FALSE(parsed.ok()) << file << " is not a status payload";
            continue;
        }
        ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.error();
        EXPECT_TRUE(parsed->skipped.empty()) << file << ": " << parsed->skipped.front();
        std::size_t expectedPublic = 0;
        for (const auto& s : raw) {
            const auto& inner = s.contains("reblog") && s["reblog"].is_object() ? s["reblog"] : s;
            const std::string visibility = inner.value("visibility", "public");
            expectedPublic += visibility != "private" && visibility != "direct";
        }
        EXPECT_EQ(parsed->posts.size(), expectedPublic) << file;
        for (const auto& post : parsed->posts) {
            ++statuses;
            EXPECT_FALSE(post.author.name.empty()) << file << " " << post.id;
            EXPECT_FALSE(post.author.handle.empty()) << file << " " << post.id;
            EXPECT_GT(post.createdAt, 1400000000) << file << " " << post.id;
            EXPECT_TRUE(!post.text.empty() || !post.media.empty()) << file << " " << post.id;
        }
    }
    EXPECT_GT(statuses, 20u);
}

TEST(Realworld, MastodonMediaOnlyAndBoost) {
    const fs::path dir = fs::path(KIOSK_REALWORLD) / "mastodon";
    if (!fs::exists(dir / "status_video_empty_content.json")) {
        GTEST_SKIP() << "no realworld payloads here";
    }
    auto video = parseMastodon(test::readFile((dir / "status_video_empty_content.json").string()),
                               {"mastodon.social"});
    ASSERT_TRUE(video.ok());
    ASSERT_EQ(video->posts.size(), 1u);
    EXPECT_EQ(video->posts[0].text, "");
    ASSERT_FALSE(video->posts[0].media.empty());
    EXPECT_EQ(video->posts[0].media[0].kind, "video");
    auto boost = parseMastodon(test::readFile((dir / "devserver_reblog_wrapper.json").string()),
                               {"localhost"});
    ASSERT_TRUE(boost.ok());
    ASSERT_EQ(boost->posts.size(), 1u);
    EXPECT_TRUE(boost->posts[0].isRepost);
    EXPECT_FALSE(boost->posts[0].text.empty());
}

TEST(Realworld, WordPressRestFilesParse) {
    const auto files = jsonFiles("wordpress");
    if (files.empty()) {
        GTEST_SKIP() << "no ../shared/realworld/wordpress here";
    }
    std::size_t comments = 0;
    for (const auto& file : files) {
        if (file.filename().string().rfind("wpcom_", 0) == 0) {
            const auto wpcom = parseWordPressCom(test::readFile(file.string()), {});
            ASSERT_TRUE(wpcom.ok()) << file << ": " << wpcom.error();
            EXPECT_EQ(wpcom->posts.size(), 1u) << file;
            continue;
        }
        const auto parsed = parseWordPress(test::readFile(file.string()), {});
        ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.error();
        EXPECT_TRUE(parsed->skipped.empty()) << file;
        for (const auto& post : parsed->posts) {
            ++comments;
            EXPECT_FALSE(post.author.name.empty()) << post.id;
            EXPECT_FALSE(post.text.empty()) << post.id;
            EXPECT_EQ(post.id.rfind("wordpress:", 0), 0u);
        }
    }
    EXPECT_GT(comments, 3u);
}

TEST(Realworld, BlueskyFilesYieldTheirPublicPosts) {
    const auto files = jsonFiles("bluesky");
    if (files.empty()) {
        GTEST_SKIP() << "no ../shared/realworld/bluesky here";
    }
    std::size_t posts = 0;
    for (const auto& file : files) {
        const std::string body = test::readFile(file.string());
        const auto parsed = parseBluesky(body, {});
        ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.error();
        // Bare records (no uri, no author) are not postViews and are named as skipped.
        const bool records = file.filename().string().rfind("records_", 0) == 0;
        EXPECT_EQ(parsed->skipped.empty(), !records) << file;
        // Authors who opted out of logged-out display never reach a public wall.
        const bool optedOut = body.find("!no-unauthenticated") != std::string::npos;
        if (!records && !optedOut) {
            EXPECT_FALSE(parsed->posts.empty()) << file;
        }
        for (const auto& post : parsed->posts) {
            ++posts;
            expectReadable(post, file);
            EXPECT_EQ(post.url.rfind("https://bsky.app/profile/", 0), 0u) << post.url;
        }
    }
    EXPECT_GE(posts, 8u);
}

TEST(Realworld, XFilesJoinAuthorsAndMedia) {
    const auto files = jsonFiles("twitter");
    if (files.empty()) {
        GTEST_SKIP() << "no ../shared/realworld/twitter here";
    }
    for (const auto& file : files) {
        const std::string body = test::readFile(file.string());
        const auto parsed = parseXPosts(body, {});
        ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.error();
        EXPECT_TRUE(parsed->skipped.empty()) << file;
        const auto doc = nlohmann::json::parse(body);
        EXPECT_EQ(parsed->posts.size(), doc["data"].size()) << file;
        const bool hasUsers = doc.contains("includes") && doc["includes"].contains("users");
        for (const auto& post : parsed->posts) {
            expectReadable(post, file);
            EXPECT_EQ(post.text.find("&amp;"), std::string::npos) << post.text;
            EXPECT_EQ(post.text.find("&gt;"), std::string::npos) << post.text;
            if (hasUsers) {
                EXPECT_FALSE(post.author.handle.empty()) << file << " " << post.id;
            }
        }
    }
}

TEST(Realworld, FeedsParseOrFailClearly) {
    auto files = filesIn("feeds", {".xml", ".rss", ".atom", ".json"});
    for (const auto& f : filesIn("feeds/edgecases", {".xml", ".json"})) {
        files.push_back(f);
    }
    if (files.empty()) {
        GTEST_SKIP() << "no ../shared/realworld/feeds here";
    }
    std::size_t posts = 0;
    for (const auto& file : files) {
        const std::string body = test::readFile(file.string());
        const bool json = file.extension() == ".json";
        const auto parsed =
            json ? parseJsonFeed(body, {"", 1781345000}) : parseRss(body, {"", 1781345000});
        const bool illFormed = file.string().find("incomplete_cdata") != std::string::npos ||
                               file.string().find("corrupted_ampersands") != std::string::npos;
        if (illFormed) {
            ASSERT_FALSE(parsed.ok()) << file;
            EXPECT_EQ(parsed.error().rfind("XML error at line ", 0), 0u) << parsed.error();
            continue;
        }
        ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.error();
        for (const auto& skipped : parsed->skipped) {
            EXPECT_NE(skipped.find("has nothing to show"), std::string::npos) << file << skipped;
        }
        if (!json) {
            const std::size_t items = count(body, "<item>") + count(body, "<item ") +
                                      count(body, "<entry>") + count(body, "<entry ");
            EXPECT_EQ(parsed->posts.size(), items) << file;
        }
        for (const auto& post : parsed->posts) {
            ++posts;
            expectReadable(post, file);
            EXPECT_EQ(post.text.find("<script"), std::string::npos) << post.id;
            EXPECT_EQ(post.text.find("alert("), std::string::npos) << post.id;
        }
    }
    EXPECT_GT(posts, 100u);
}

} // namespace
} // namespace kiosk
