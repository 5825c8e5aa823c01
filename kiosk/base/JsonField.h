// Reading one field of a JSON object by its type. Everything we read came from someone else (a
// server, another screen of the group, a hand-edited file): a field of another type, or a
// document that is not an object, reads as absent. json::value and operator[] would throw or
// insert instead, and a throw on the MQTT or libmicrohttpd thread ends the wall.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

// A document from a server or another screen, or why there is none. Nesting is limited:
// nlohmann keeps each level as a value of its own, so megabytes of "[" within a response's size
// cap would take hundreds of megabytes, and no API we read nests beyond a dozen levels
// (Formats.JsonNestedBeyondAnyApiIsRefusedByName).
struct UntrustedJson {
    nlohmann::json doc;  // discarded when problem is set
    std::string problem; // "not valid JSON", "nested deeper than 64 levels"
};
inline constexpr int kMaxUntrustedJsonDepth = 64;
UntrustedJson parseUntrustedJson(std::string_view text, int maxDepth = kMaxUntrustedJsonDepth);

// object[key], or a null value when object is not an object or has no such key. A template so
// that the config editor's ordered_json reads the same way.
template <class Json> const Json& memberAt(const Json& object, const char* key) {
    static const Json kAbsent;
    if (!object.is_object()) {
        return kAbsent;
    }
    auto it = object.find(key);
    return it == object.end() ? kAbsent : *it;
}

// object[key] when it is a string, "" otherwise (absent, null, false, a number...).
template <class Json> std::string textAt(const Json& object, const char* key) {
    const Json& value = memberAt(object, key);
    return value.is_string() ? value.template get<std::string>() : std::string();
}

// object[key] when it is true; anything else (absent, "yes", 1) is false.
template <class Json> bool flagAt(const Json& object, const char* key) {
    const Json& value = memberAt(object, key);
    return value.is_boolean() && value.template get<bool>();
}

// The strings of a list; anything else in it, or no list at all, is left out.
template <class Json> std::vector<std::string> textsIn(const Json& list) {
    std::vector<std::string> out;
    if (list.is_array()) {
        for (const auto& value : list) {
            if (value.is_string()) {
                out.push_back(value.template get<std::string>());
            }
        }
    }
    return out;
}

template <class Json> std::vector<std::string> textsAt(const Json& object, const char* key) {
    return textsIn(memberAt(object, key));
}

} // namespace kiosk
