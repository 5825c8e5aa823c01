// Typed access with path-named errors; see ConfigReader.h.
#include "kiosk/base/ConfigReader.h"

#include "kiosk/base/Utf8.h"

#include <algorithm>
#include <climits>
#include <numeric>

namespace kiosk {
namespace {

constexpr std::size_t kMaxKeyShown = 64;

} // namespace

void ConfigErrors::add(const std::string& path, const std::string& message) {
    messages.push_back(path.empty() ? message : path + ": " + message);
}

ObjectReader::ObjectReader(const nlohmann::json& object, std::string path, ConfigErrors& errors)
    : object_(object), path_(std::move(path)), errors_(errors) {}

std::string ObjectReader::pathOf(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
}

void ObjectReader::error(const std::string& key, const std::string& message) {
    errors_.add(pathOf(key), message);
}

const nlohmann::json* ObjectReader::find(const std::string& key) {
    known_.insert(key);
    if (errors_.asked) {
        errors_.asked->insert(pathOf(key));
    }
    if (!object_.is_object()) {
        return nullptr;
    }
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

std::string ObjectReader::string(const std::string& key, const std::string& fallback,
                                 bool required) {
    const auto* v = find(key);
    if (!v) {
        if (required) {
            error(key, "required, expected a string");
        }
        return fallback;
    }
    if (!v->is_string()) {
        error(key, "expected a string");
        return fallback;
    }
    if (required && v->get_ref<const std::string&>().empty()) {
        error(key, "must not be empty");
    }
    return v->get<std::string>();
}

std::vector<std::string> ObjectReader::stringList(const std::string& key, bool required) {
    const auto* v = find(key);
    if (!v) {
        if (required) {
            error(key, "required, expected a list of strings");
        }
        return {};
    }
    const bool allStrings = v->is_array() && std::all_of(v->begin(), v->end(), [](const auto& e) {
                                return e.is_string();
                            });
    if (!allStrings) {
        error(key, "expected a list of strings");
        return {};
    }
    if (required && v->empty()) {
        error(key, "must list at least one entry");
    }
    return v->get<std::vector<std::string>>();
}

std::vector<long long> ObjectReader::integerList(const std::string& key) {
    const auto* v = find(key);
    if (!v) {
        return {};
    }
    const bool allInts = v->is_array() && std::all_of(v->begin(), v->end(), [](const auto& e) {
                             return e.is_number_integer();
                         });
    if (!allInts) {
        error(key, "expected a list of whole numbers");
        return {};
    }
    return v->get<std::vector<long long>>();
}

long long ObjectReader::integer(const std::string& key, long long fallback, long long min,
                                long long max) {
    const auto* v = find(key);
    if (!v) {
        return fallback;
    }
    if (!v->is_number_integer()) {
        error(key, "expected a whole number");
        return fallback;
    }
    // Beyond long long, JSON keeps the number unsigned: 18446744073709551615 is not -1.
    const bool beyond = v->is_number_unsigned() && v->get<unsigned long long>() > LLONG_MAX;
    const long long n = beyond ? max : v->get<long long>();
    if (beyond || n < min || n > max) {
        error(key, "expected a number from " + std::to_string(min) + " to " + std::to_string(max) +
                       ", got " + v->dump());
        return fallback;
    }
    return n;
}

bool ObjectReader::boolean(const std::string& key, bool fallback) {
    const auto* v = find(key);
    if (!v) {
        return fallback;
    }
    if (!v->is_boolean()) {
        error(key, "expected true or false");
        return fallback;
    }
    return v->get<bool>();
}

const nlohmann::json* ObjectReader::object(const std::string& key) {
    const auto* v = find(key);
    if (v && !v->is_object()) {
        error(key, "expected an object");
        return nullptr;
    }
    return v;
}

const nlohmann::json* ObjectReader::array(const std::string& key) {
    const auto* v = find(key);
    if (v && !v->is_array()) {
        error(key, "expected a list");
        return nullptr;
    }
    return v;
}

void ObjectReader::finish() {
    if (!object_.is_object()) {
        return;
    }
    for (const auto& [key, value] : object_.items()) {
        if (known_.count(key)) {
            continue;
        }
        std::string best;
        std::size_t bestDistance = 3; // farther than 2 edits is a different word
        for (const auto& candidate : known_) {
            const auto d = editDistanceWithin(key, candidate, bestDistance - 1);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        // The key is whatever the file or a request held; a page of it would bury the message.
        const std::size_t shown = utf8Boundary(key, kMaxKeyShown);
        const std::string name = shown < key.size() ? key.substr(0, shown) + "..." : key;
        errors_.add(pathOf(name),
                    best.empty() ? "unknown key" : "unknown key, did you mean \"" + best + "\"?");
    }
}

std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::size_t editDistanceWithin(const std::string& a, const std::string& b, std::size_t limit) {
    const std::size_t apart = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
    if (apart > limit) {
        return limit + 1;
    }
    return std::min(editDistance(a, b), limit + 1);
}

} // namespace kiosk
