// A wall whose database file is damaged (garbage, or cut short by a power cut on a bad SD card)
// still starts, says so, keeps the damaged file untouched beside, and remembers decisions again
// from then on: the next start does not fail the same way.
#include "TestSupport.h"

#include "kiosk/app/Wall.h"
#include "kiosk/base/Log.h"
#include "kiosk/config/Config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>

namespace kiosk::test {
namespace {

namespace fs = std::filesystem;

Config wallConfig(const fs::path& dir) {
    const std::string text = R"({
      "event": {"name": "Harbour Camp"},
      "storage": {"path": ")" +
                             (dir / "wall.db").string() + R"("},
      "network": {"download_media": false, "media_cache_dir": ")" +
                             (dir / "media").string() + R"("},
      "admin": {"enabled": false}
    })";
    auto config = parseConfig(text, (dir / "kiosk.json").string());
    EXPECT_TRUE(config.ok()) << (config.ok() ? "" : config.error());
    return config.value();
}

// An empty folder of its own for one test's wall.
fs::path freshDir(const std::string& name) {
    const fs::path dir = fs::path(writeTempFile(name + "/.keep", "")).parent_path();
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

WallOptions displayAt(UnixTime now) {
    WallOptions options;
    options.purpose = WallPurpose::Display;
    options.clock = [now] { return now; };
    return options;
}

std::vector<fs::path> damagedCopies(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind("wall.db.damaged-", 0) == 0 && name.find("-wal") == std::string::npos &&
            name.find("-shm") == std::string::npos) {
            out.push_back(entry.path());
        }
    }
    return out;
}

TEST(DamagedStore, AGarbageFileIsKeptBesideAndAFreshOneRemembers) {
    const fs::path dir = freshDir("damaged-store");
    const std::string garbage(64 * 1024, '\x5a');
    { std::ofstream(dir / "wall.db", std::ios::binary) << garbage; }
    const WallOptions options = displayAt(1784000000);
    {
        Wall wall(wallConfig(dir), options);
        ASSERT_NE(wall.database(), nullptr);
        wall.database()->saveDecision("mastodon:quay.example:7", Verdict::Hide, 1784000000);
    }
    const auto copies = damagedCopies(dir);
    ASSERT_EQ(copies.size(), 1u);
    EXPECT_EQ(readFile(copies[0].string()), garbage) << "the damaged file is left as it was";
    // The next start opens the fresh file and finds the decision made after the damage.
    Wall again(wallConfig(dir), options);
    const auto decisions = again.database()->loadDecisions();
    ASSERT_EQ(decisions.size(), 1u);
    EXPECT_EQ(decisions[0].first, "mastodon:quay.example:7");
    EXPECT_EQ(damagedCopies(dir).size(), 1u);
}

// Posts as a busy hashtag brings them: enough text that a few hundred need new pages.
std::vector<Post> busyHour(int count, UnixTime at) {
    std::vector<Post> posts;
    for (int i = 0; i < count; ++i) {
        Post p;
        p.id = "mastodon:quay.example:" + std::to_string(9000 + i);
        p.source = "mastodon";
        p.author.name = "Quay volunteer " + std::to_string(i);
        p.author.handle = "@crew" + std::to_string(i) + "@quay.example";
        p.text = "Boat " + std::to_string(i) +
                 " leaves from pier C in ten minutes; bring a "
                 "jacket, the wind picks up after sunset and the ferry deck is open. " +
                 std::string(400, 'w');
        p.createdAt = at - count + i;
        posts.push_back(std::move(p));
    }
    return posts;
}

TEST(FullDisk, TheWallKeepsShowingAndSaysSoOnceThenSavesAgain) {
    const fs::path dir = freshDir("full-disk");
    Wall wall(wallConfig(dir), displayAt(1796000000));
    std::mutex mutex;
    std::vector<std::string> lines;
    setLogSink([&](LogLevel level, std::string_view module, std::string_view message) {
        std::lock_guard lock(mutex);
        lines.push_back(std::string(level == LogLevel::Error ? "E " : "- ") + std::string(module) +
                        ": " + std::string(message));
    });
    const auto fullLines = [&] {
        std::lock_guard lock(mutex);
        return std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
            return l.rfind("E store: ", 0) == 0 && l.find("the disk is full") != std::string::npos;
        });
    };
    // The file may not grow by a single page any more: SQLITE_FULL, as on a full SD card.
    wall.database()->capPages(1);
    for (int poll = 0; poll < 3; ++poll) {
        wall.ingest().posts(busyHour(200, 1796000000 + poll));
    }
    EXPECT_EQ(wall.store().snapshot()->size(), 200u) << "every post shows from memory";
    EXPECT_TRUE(wall.database()->diskFull());
    wall.database()->saveDecision("mastodon:quay.example:9001", Verdict::Hide, 1796000100);
    EXPECT_EQ(fullLines(), 1) << "one line for the whole episode, not one per post";
    {
        std::lock_guard lock(mutex);
        for (const auto& l : lines) {
            EXPECT_TRUE(l.rfind("E ", 0) != 0 || l.find("the disk is full") != std::string::npos)
                << "no other errors for the same cause: " << l;
        }
    }
    {
        std::lock_guard lock(mutex);
        const auto it = std::find_if(lines.begin(), lines.end(), [](const std::string& l) {
            return l.find("the disk is full") != std::string::npos;
        });
        ASSERT_NE(it, lines.end());
        EXPECT_NE(it->find((dir / "wall.db").string()), std::string::npos) << *it;
        EXPECT_NE(it->find("keeps showing"), std::string::npos) << *it;
    }
    // Space comes back (the organiser deleted old recordings): the next write gets through.
    wall.database()->capPages(1 << 20);
    wall.database()->saveDecision("mastodon:quay.example:9001", Verdict::Hide, 1796000200);
    EXPECT_FALSE(wall.database()->diskFull());
    const auto decisions = wall.database()->loadDecisions();
    ASSERT_EQ(decisions.size(), 1u);
    EXPECT_EQ(decisions[0].second, Verdict::Hide);
    setLogSink(nullptr);
}

// A wall that has run a while: the organiser's decisions and pins first (early pages), then
// enough posts to fill many more pages behind them; then the file is damaged behind 60 %.
void runAndDamage(const fs::path& dir, bool truncate) {
    {
        Wall wall(wallConfig(dir), displayAt(1796000000));
        for (int i = 0; i < 40; ++i) {
            wall.database()->saveDecision("mastodon:quay.example:" + std::to_string(100 + i),
                                          i % 4 ? Verdict::Hide : Verdict::Show, 1796000000 + i);
        }
        wall.database()->setPinned("mastodon:quay.example:7", true);
        wall.database()->setPinned("mastodon:quay.example:8", true);
        std::vector<StoredPost> posts;
        for (auto& p : busyHour(400, 1796000000)) {
            posts.push_back({std::move(p), Verdict::Show, {}});
        }
        wall.database()->savePosts(posts, 1796000000);
    } // closed: the write-ahead log is folded into the file
    const fs::path file = dir / "wall.db";
    const auto size = fs::file_size(file);
    if (truncate) {
        fs::resize_file(file, size * 6 / 10);
    } else {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(std::streamoff(size * 6 / 10));
        const std::string garbage(size - size * 6 / 10, '\x5a');
        f.write(garbage.data(), std::streamsize(garbage.size()));
    }
}

TEST(DamagedStore, DecisionsThatCanStillBeReadAreKept) {
    for (const bool truncate : {false, true}) {
        SCOPED_TRACE(truncate ? "cut short" : "garbage at the end");
        const fs::path dir = freshDir("salvage");
        runAndDamage(dir, truncate);
        std::vector<std::string> errors;
        setLogSink([&](LogLevel level, std::string_view module, std::string_view message) {
            if (level == LogLevel::Error && module == "store") {
                errors.emplace_back(message);
            }
        });
        Wall wall(wallConfig(dir), displayAt(1796000300));
        setLogSink(nullptr);
        ASSERT_EQ(damagedCopies(dir).size(), 1u)
            << "damaged behind page 1: moved aside all the same";
        const auto decisions = wall.database()->loadDecisions();
        EXPECT_EQ(decisions.size(), 40u);
        EXPECT_EQ(wall.database()->loadPinned().size(), 2u);
        ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
        EXPECT_NE(errors[0].find("read back from it: 40 decisions, 2 pins"), std::string::npos)
            << errors[0];
    }
}

} // namespace
} // namespace kiosk::test
