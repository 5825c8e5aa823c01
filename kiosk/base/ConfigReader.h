// Reads one JSON object of the config with typed getters, collecting every problem as
// "path: message" (e.g. "sources[1].hashtags: expected a list of strings") instead of stopping
// at the first. finish() reports keys nobody asked for, with a "did you mean" when one is close.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace kiosk {

struct ConfigErrors {
    std::vector<std::string> messages;
    // When set, every key a reader asks for, by path ("sources[2].hashtags"): how
    // ConfigDoc.EveryKeyTheReaderAcceptsIsInConfigMd finds the keys docs/CONFIG.md must list.
    std::set<std::string>* asked = nullptr;
    void add(const std::string& path, const std::string& message);
    bool empty() const { return messages.empty(); }
};

class ObjectReader {
public:
    ObjectReader(const nlohmann::json& object, std::string path, ConfigErrors& errors);

    std::string string(const std::string& key, const std::string& fallback, bool required = false);
    std::vector<std::string> stringList(const std::string& key, bool required = false);
    std::vector<long long> integerList(const std::string& key);
    long long integer(const std::string& key, long long fallback, long long min, long long max);
    bool boolean(const std::string& key, bool fallback);
    // nullptr when absent; reports an error when present but not an object.
    const nlohmann::json* object(const std::string& key);
    const nlohmann::json* array(const std::string& key);

    std::string pathOf(const std::string& key) const;
    ConfigErrors* errors() const { return &errors_; }
    void error(const std::string& key, const std::string& message);
    void finish();

private:
    const nlohmann::json* find(const std::string& key);

    const nlohmann::json& object_;
    std::string path_;
    ConfigErrors& errors_;
    std::set<std::string> known_;
};

// Levenshtein distance, for "did you mean".
std::size_t editDistance(const std::string& a, const std::string& b);
// The same when it is at most `limit`, else limit + 1. Keys come from requests and group
// messages, so a stranger chooses their length; a length difference beyond the limit already
// rules a word out, and the cost stays proportional to the limit (fuzz_config, fuzz_group).
std::size_t editDistanceWithin(const std::string& a, const std::string& b, std::size_t limit);

} // namespace kiosk
