// A wall whose database file is damaged (garbage, or cut short by a power cut on a bad SD card)
// still starts, says so, keeps the damaged file untouched beside, and remembers decisions again
// from then on: the next start does not fail the same way.
#include "TestSupport.h"

#include "kiosk/app/Wall.h"
#include "kiosk/config/Config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

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
    const fs::path dir = fs::path(writeTempFile("damaged-store/.keep", "")).parent_path();
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string garbage(64 * 1024, '\x5a');
    { std::ofstream(dir / "wall.db", std::ios::binary) << garbage; }
    WallOptions options;
    options.purpose = WallPurpose::Display;
    options.clock = [] { return UnixTime(1784000000); };
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

} // namespace
} // namespace kiosk::test
