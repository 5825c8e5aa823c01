// docs/CONFIG.md against the config reader: every key the reader asks for while reading a config
// with every block and every source type is in the reference, in its block's (or source type's)
// section, and every key the reference lists is one the reader asks for.
#include "kiosk/config/Config.h"

#include "TestSupport.h"

#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace kiosk {
namespace {

using test::readFile;
using Sections = std::map<std::string, std::set<std::string>>;

// "## `display`" and "### `sources`: `mastodon`" open a section; "| `colors.text` | ..." rows
// name its keys (a row may name several: "| `a`, `b` |").
Sections documentedKeys(const std::string& markdown) {
    Sections sections;
    std::string current;
    std::istringstream lines(markdown);
    const std::regex heading(R"(^#{2,3} `([a-z_]+)`(?:: `([a-z_]+)`)?\s*$)");
    const std::regex key("`([a-z_.\\[\\]]+)`");
    for (std::string line; std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_match(line, m, heading)) {
            current = m[2].matched ? m[1].str() + ":" + m[2].str() : m[1].str();
            sections[current];
        } else if (!current.empty() && line.rfind("| `", 0) == 0) {
            const std::string first = line.substr(1, line.find(" |", 1));
            for (std::sregex_iterator it(first.begin(), first.end(), key), end; it != end; ++it) {
                sections[current].insert((*it)[1].str());
            }
        }
    }
    return sections;
}

// "sources[3].hashtags" becomes {"sources:mastodon", "hashtags"}, "announcements[0].text"
// {"announcements", "[].text"}, "event" {"file", "event"}.
std::pair<std::string, std::string> sectionOf(const std::string& path,
                                              const std::vector<std::string>& sourceTypes) {
    static const std::regex source(R"(^sources\[(\d+)\]\.(.+)$)");
    static const std::regex listed(R"(^([a-z_]+)\[\d+\]\.(.+)$)");
    std::smatch m;
    if (std::regex_match(path, m, source)) {
        return {"sources:" + sourceTypes.at(std::stoul(m[1].str())), m[2].str()};
    }
    if (std::regex_match(path, m, listed)) {
        return {m[1].str(), "[]." + m[2].str()};
    }
    const auto dot = path.find('.');
    if (dot == std::string::npos) {
        return {"file", path};
    }
    return {path.substr(0, dot), path.substr(dot + 1)};
}

TEST(ConfigDoc, EveryKeyTheReaderAcceptsIsInConfigMd) {
    const std::string dir = std::string(KIOSK_SOURCE_DIR);
    const auto text = readFile(dir + "/tests/fixtures/config/every-block.json");
    std::set<std::string> asked;
    const auto config = parseConfig(text, dir + "/tests/fixtures/config/every-block.json", &asked);
    ASSERT_TRUE(config.ok()) << config.error();
    const std::vector<std::string> types = {"mastodon", "bluesky", "wordpress", "wpcom",
                                            "rss",      "atom",    "jsonfeed",  "x"};
    ASSERT_EQ(config->sources.size(), types.size());
    const Sections documented = documentedKeys(readFile(dir + "/docs/CONFIG.md"));
    Sections read;
    std::string missing;
    for (const auto& path : asked) {
        const auto [section, key] = sectionOf(path, types);
        if (key == "type" && section.rfind("sources:", 0) == 0) {
            continue; // every source has it; the sources section says so once
        }
        read[section].insert(key);
        const auto it = documented.find(section);
        if (it == documented.end() || !it->second.count(key)) {
            missing += "\n  " + section + ": " + key;
        }
    }
    EXPECT_TRUE(missing.empty()) << "keys the reader accepts that docs/CONFIG.md does not list:"
                                 << missing;
    std::string stale;
    for (const auto& [section, keys] : documented) {
        for (const auto& key : keys) {
            if (!read[section].count(key)) {
                stale += "\n  " + section + ": " + key;
            }
        }
    }
    EXPECT_TRUE(stale.empty()) << "keys docs/CONFIG.md lists that the reader never asks for:"
                               << stale;
}

} // namespace
} // namespace kiosk
