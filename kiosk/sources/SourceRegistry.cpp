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

namespace kiosk {
namespace {

const SourceType kSourceTypes[] = {
    {"mastodon", "Mastodon hashtag timeline (list of Status)", parseMastodon, makeMastodonSource},
    {"wordpress", "WordPress REST comments (wp/v2/comments)", parseWordPress, makeWordPressSource},
    {"bluesky", "Bluesky searchPosts results (postView list)", parseBluesky, makeBlueskySource},
    {"wpcom", "WordPress.com REST v1.1 comments", parseWordPressCom, makeWordPressComSource},
    {"rss", "RSS 2.0 feed (blog posts or comments)", parseRss, makeRssSource},
    {"atom", "Atom 1.0 feed", parseAtom, makeAtomSource},
    {"jsonfeed", "JSON Feed 1.0 / 1.1", parseJsonFeed, makeJsonFeedSource},
    {"x", "X API v2 search/recent response", parseXPosts, makeXSource},
};

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

namespace {
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

std::string sourceTypeNames() {
    return joinNames(true);
}
std::string formatNames() {
    return joinNames(false);
}

} // namespace kiosk
