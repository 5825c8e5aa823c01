// The registry table itself.
#include "kiosk/sources/SourceRegistry.h"

#include "kiosk/sources/Bluesky.h"
#include "kiosk/sources/BlueskySource.h"
#include "kiosk/sources/FeedSource.h"
#include "kiosk/sources/Feeds.h"
#include "kiosk/sources/Mastodon.h"
#include "kiosk/sources/WordPress.h"
#include "kiosk/sources/WordPressCom.h"
#include "kiosk/sources/XPosts.h"

#include <sstream>

namespace kiosk {
namespace {

// name, card name, help, parser, factory; secrets, addresses, accounts, files; the page's form
const SourceType kSourceTypes[] = {
    {"mastodon", "Mastodon", "Mastodon hashtag timeline (list of Status)", parseMastodon,
     makeMastodonSource, "token", "server url", "", "", "server:url hashtags:tags token:secret"},
    {"wordpress", "Blog comment", "WordPress REST comments (wp/v2/comments)", parseWordPress,
     makeWordPressSource, "", "site url rest_base", "", "", "site:url posts:numbers"},
    {"bluesky", "Bluesky", "Bluesky searchPosts results (postView list)", parseBluesky,
     makeBlueskySource, "app_password", "service appview", "identifier", "session_file",
     "identifier:text app_password:secret hashtags:tags"},
    {"wpcom", "Blog comment", "WordPress.com REST v1.1 comments", parseWordPressCom,
     makeWordPressComSource, "", "site api_base", "", "", "site:text posts:numbers"},
    {"rss", "Blog", "RSS 2.0 feed (blog posts or comments)", parseRss, makeRssSource, "", "url", "",
     "", "url:url"},
    {"atom", "Blog", "Atom 1.0 feed", parseAtom, makeAtomSource, "", "url", "", "", "url:url"},
    {"jsonfeed", "Blog", "JSON Feed 1.0 / 1.1", parseJsonFeed, makeJsonFeedSource, "", "url", "",
     "", "url:url"},
    {"x", "X", "X API v2 search/recent response", parseXPosts, makeXSource, "bearer_token",
     "api_base", "", "", "bearer_token:secret hashtags:tags"},
};

std::vector<std::string> words(const char* list) {
    std::vector<std::string> out;
    std::istringstream in(list ? list : "");
    for (std::string word; in >> word;) {
        out.push_back(word);
    }
    return out;
}

std::string joinNames(bool pollableOnly) {
    std::string names;
    for (const auto& type : kSourceTypes) {
        if (!pollableOnly || type.create) {
            names += (names.empty() ? "" : ", ") + std::string(type.name);
        }
    }
    return names;
}

} // namespace

std::span<const SourceType> sourceTypes() {
    return kSourceTypes;
}

const SourceType* findSourceType(std::string_view name) {
    for (const auto& type : kSourceTypes) {
        if (name == type.name) {
            return &type;
        }
    }
    return nullptr;
}

std::string sourceTypeNames() {
    return joinNames(true);
}
std::string formatNames() {
    return joinNames(false);
}

bool listsKey(const char* list, std::string_view key) {
    for (const auto& word : words(list)) {
        if (word == key) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> identityKeys(const SourceType& type) {
    auto keys = words(type.addressKeys);
    for (auto& key : words(type.accountKeys)) {
        keys.push_back(std::move(key));
    }
    return keys;
}

std::vector<std::pair<std::string, std::string>> sourceDisplayNames() {
    std::vector<std::pair<std::string, std::string>> names;
    for (const auto& type : kSourceTypes) {
        names.emplace_back(type.name, type.displayName);
    }
    return names;
}

} // namespace kiosk
