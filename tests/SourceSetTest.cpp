// The live sources made from the config's specs: one object per unchanged spec across updates,
// and a source made anew (added, changed, or taken back from another screen of a group) resumes
// from the position the database holds.
#include "kiosk/fetch/SourceSet.h"
#include "kiosk/config/Config.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

std::vector<SourceSpec> specs(const std::string& talksExtra) {
    const auto config = parseConfig(R"({"sources": [
        {"type": "mastodon", "server": "https://m.example", "hashtags": ["Camp"]},
        {"type": "mastodon", "server": "https://m.example", "hashtags": ["Talks"])" +
                                        talksExtra + R"(}]})",
                                    "/etc/kiosk/kiosk.json");
    EXPECT_TRUE(config.ok()) << config.error();
    return config.ok() ? config->sources : std::vector<SourceSpec>{};
}

TEST(SourceSet, UnchangedSourcesRunOnAndNewOnesResumeFromTheDatabase) {
    auto db = Database::open(":memory:");
    ASSERT_TRUE(db.ok()) << db.error();
    const auto both = specs("");
    ASSERT_EQ(both.size(), 2u);
    EXPECT_EQ(both[0].label, "mastodon #Camp @ m.example");
    (*db)->saveSourceState(both[0].label, R"({"newest": {"Camp": "113900000000000099"}})");
    SourceSet set(db->get());

    const auto first = set.update(both);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_NE(first[0]->saveState().find("113900000000000099"), std::string::npos)
        << "resumed from where it stopped";
    EXPECT_EQ(first[1]->saveState(), "") << "nothing stored for #Talks yet";

    const auto again = set.update(both);
    EXPECT_EQ(again[0].get(), first[0].get()) << "an unchanged source is the same object";
    EXPECT_EQ(again[1].get(), first[1].get());

    const auto edited = set.update(specs(R"(, "poll_seconds": 90)"));
    EXPECT_EQ(edited[0].get(), first[0].get());
    EXPECT_NE(edited[1].get(), first[1].get()) << "a changed block makes a new source";
    EXPECT_EQ(edited[1]->pollInterval(), std::chrono::seconds(90));

    // Given to another screen of a group, which moved the position on; then taken back.
    EXPECT_EQ(set.update({both[1]}).size(), 1u);
    (*db)->saveSourceState(both[0].label, R"({"newest": {"Camp": "113900000000000120"}})");
    const auto back = set.update(both);
    EXPECT_NE(back[0].get(), first[0].get());
    EXPECT_NE(back[0]->saveState().find("113900000000000120"), std::string::npos)
        << "resumes from the position the other screen published";
}

} // namespace
} // namespace kiosk
