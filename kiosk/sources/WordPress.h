// Self-hosted WordPress comments through the REST API (GET /wp-json/wp/v2/comments): parser for
// comment arrays and a polling source for one or more blog posts (or a whole site).
#pragma once

#include "kiosk/base/ConfigReader.h"
#include "kiosk/sources/Source.h"

#include <map>
#include <memory>
#include <set>

namespace kiosk {

Result<ParseOutput> parseWordPress(std::string_view body, const ParseContext& context);

struct SourceContext;
std::unique_ptr<Source> makeWordPressSource(ObjectReader& reader, const SourceContext& context);

class WordPressSource final : public Source {
public:
    struct Settings {
        std::string site;               // "https://blog.example.org"
        std::vector<long long> postIds; // empty: every comment on the site
        std::string restBase;           // "" -> <site>/wp-json/wp/v2
        std::string urlOverride;
        std::chrono::seconds interval{60};
        int firstLoadPages = 5; // up to 500 older comments on start
    };
    explicit WordPressSource(Settings settings);

    std::string label() const override;
    std::chrono::seconds pollInterval() const override { return settings_.interval; }
    PollOutput poll(HttpClient& http, const PollSettings& settings) override;
    std::vector<std::string> hosts() const override { return {host_}; }
    std::string requestUrl(long long postId, int page) const;
    std::string restBase() const;
    std::string saveState() const override;
    void loadState(const std::string& state) override;

private:
    std::string postTitle(HttpClient& http, const PollSettings& settings, long long postId);

    Settings settings_;
    std::string host_;
    std::map<long long, std::string> titles_; // post id -> title, fetched once
    std::set<long long> loaded_;              // posts whose first load is done
};

} // namespace kiosk
