// See SharedChange.h.
#include "kiosk/model/SharedChange.h"

#include <limits>

namespace kiosk {

nlohmann::json toJson(const SharedChange& change) {
    return {{"key", change.key},
            {"value", change.value},
            {"at", change.atMs},
            {"screen", change.screen}};
}

std::optional<std::int64_t> wholeNumberAt(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) {
        return std::nullopt;
    }
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number_integer()) {
        return std::nullopt; // floats too: converting 1e300 to an integer is undefined
    }
    if (it->is_number_unsigned() &&
        it->get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
        return std::nullopt;
    }
    return it->get<std::int64_t>();
}

std::optional<SharedChange> sharedChangeFromJson(const nlohmann::json& doc) {
    if (!doc.is_object()) {
        return std::nullopt;
    }
    const auto key = doc.find("key");
    const auto screen = doc.find("screen");
    const auto at = wholeNumberAt(doc, "at");
    if (key == doc.end() || !key->is_string() || key->get_ref<const std::string&>().empty() ||
        (screen != doc.end() && !screen->is_string()) || !at || *at < 0 || *at > kLatestStampMs) {
        return std::nullopt;
    }
    const auto value = doc.find("value");
    return SharedChange{key->get<std::string>(), value == doc.end() ? nlohmann::json() : *value,
                        *at, screen == doc.end() ? "" : screen->get<std::string>()};
}

} // namespace kiosk
