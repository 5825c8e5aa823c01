// Real payloads recorded from public servers (../shared/realworld, when present): every
// Mastodon and WordPress file parses without a crash, and the statuses in them come out with
// an author and text where the payload has them.
#include "kiosk/sources/Mastodon.h"
#include "kiosk/sources/WordPress.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

namespace kiosk {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> jsonFiles(const std::string& folder) {
    std::vector<fs::path> files;
    const fs::path dir = fs::path(KIOSK_REALWORLD) / folder;
    if (!fs::exists(dir)) {
        return files;
    }
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() == ".json") {
            files.push_back(entry.path());
        }
    }
    std::sort(files.begin(), files.end());
    return files;
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
            continue; // WordPress.com v1.1 is another format
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

} // namespace
} // namespace kiosk
