// The registry table itself.
#include "kiosk/sources/SourceRegistry.h"

#include "kiosk/sources/Mastodon.h"
#include "kiosk/sources/WordPress.h"

namespace kiosk {
namespace {

const SourceType kSourceTypes[] = {
    {"mastodon", "Mastodon hashtag timeline (list of Status)", parseMastodon, makeMastodonSource},
    {"wordpress", "WordPress REST comments (wp/v2/comments)", parseWordPress, makeWordPressSource},
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

std::string sourceTypeNames() {
    std::string names;
    for (const auto& type : kSourceTypes) {
        names += (names.empty() ? "" : ", ") + std::string(type.name);
    }
    return names;
}

} // namespace kiosk
