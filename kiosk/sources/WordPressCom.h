// WordPress.com public REST API v1.1 comments (/sites/{site}/posts/{id}/replies/ and
// /sites/{site}/comments/): {found, site_ID, comments: [...]}, parent false or an object.
#pragma once

#include "kiosk/base/ConfigReader.h"
#include "kiosk/sources/Source.h"

#include <memory>

namespace kiosk {

Result<ParseOutput> parseWordPressCom(std::string_view body, const ParseContext& context);

struct SourceContext;
std::unique_ptr<Source> makeWordPressComSource(ObjectReader& reader, const SourceContext& context);

class WordPressComSource final : public Source {
public:
    struct Settings {
        std::string site;               // "opencamp.wordpress.com" or a numeric site id
        std::vector<long long> postIds; // empty: every comment on the site
        std::string apiBase = "https://public-api.wordpress.com";
        std::chrono::seconds interval{120};
    };
    explicit WordPressComSource(Settings settings);

    std::string label() const override;
    std::chrono::seconds pollInterval() const override { return settings_.interval; }
    PollOutput poll(HttpClient& http, const PollSettings& settings) override;
    std::vector<std::string> hosts() const override;
    std::string requestUrl(long long postId) const;

private:
    Settings settings_;
};

} // namespace kiosk
