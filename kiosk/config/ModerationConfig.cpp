// The "moderation" section of the config: mode, panic, word and author lists (a word list may
// live in its own file, one word or phrase a line), filters and spam limits.
#include "kiosk/base/ConfigReader.h"
#include "kiosk/config/Config.h"

#include <filesystem>
#include <fstream>

namespace kiosk {

Result<std::vector<std::string>> readWordList(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return Error{path + ": cannot open the word list"};
    }
    std::vector<std::string> words;
    for (std::string line; std::getline(in, line);) {
        const auto first = line.find_first_not_of(" \t\r");
        if (first == std::string::npos || line[first] == '#') {
            continue; // blank lines and comments
        }
        const auto last = line.find_last_not_of(" \t\r");
        words.push_back(line.substr(first, last - first + 1));
    }
    return words;
}

void readModerationConfig(ObjectReader& r, ModerationRules& m, const std::string& configDir) {
    const std::string mode = r.string("mode", "automatic");
    if (mode == "automatic") {
        m.mode = ModerationMode::Automatic;
    } else if (mode == "pre") {
        m.mode = ModerationMode::Pre;
    } else if (mode == "post") {
        m.mode = ModerationMode::Post;
    } else {
        r.error("mode", "expected \"automatic\", \"pre\" or \"post\", got \"" + mode + "\"");
    }
    const std::string panic = r.string("panic", "off");
    if (panic == "off") {
        m.panic = Panic::Off;
    } else if (panic == "announcements") {
        m.panic = Panic::AnnouncementsOnly;
    } else if (panic == "trusted") {
        m.panic = Panic::TrustedOnly;
    } else {
        r.error("panic",
                "expected \"off\", \"announcements\" or \"trusted\", got \"" + panic + "\"");
    }
    m.blockedWords = r.stringList("blocked_words");
    for (const auto& file : r.stringList("blocked_words_files")) {
        std::filesystem::path path(file);
        if (path.is_relative()) {
            path = std::filesystem::path(configDir) / path;
        }
        auto words = readWordList(path.string());
        if (!words) {
            r.error("blocked_words_files", words.error());
            continue;
        }
        m.blockedWords.insert(m.blockedWords.end(), words->begin(), words->end());
    }
    m.blockedAuthors = r.stringList("blocked_authors");
    m.blockedDomains = r.stringList("blocked_domains");
    m.trustedAuthors = r.stringList("trusted_authors");
    m.trustedDomains = r.stringList("trusted_domains");
    m.hideReplies = r.boolean("hide_replies", false);
    m.hideReposts = r.boolean("hide_reposts", false);
    m.hideSensitive = r.boolean("hide_sensitive", false);
    m.hideBots = r.boolean("hide_bots", false);
    m.languages = r.stringList("languages");
    m.maxHashtagsWithLink = int(r.integer("max_hashtags_with_link", 6, 1, 100));
    m.maxPostsPerAuthorPerHour = int(r.integer("max_posts_per_author_per_hour", 10, 1, 1000));
    m.sameTextAccounts = int(r.integer("same_text_accounts", 3, 2, 100));
}

} // namespace kiosk
