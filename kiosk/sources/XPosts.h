// X (Twitter) API v2 search/recent and tweet lookup responses: data joined with includes
// (users, media, referenced posts), under both the older "tweet" and the newer "post" names.
#pragma once

#include "kiosk/base/ConfigReader.h"
#include "kiosk/sources/Source.h"

#include <memory>

namespace kiosk {

Result<ParseOutput> parseXPosts(std::string_view body, const ParseContext& context);

// X escapes &, < and > in post text; this undoes exactly that, once.
std::string unescapeXText(std::string_view text);

// Creation time encoded in a snowflake id (for responses without created_at).
std::optional<UnixTime> snowflakeTime(const std::string& id);
// Why a post id cannot be right ("" when it can): its snowflake time is ahead of both now and
// the post's own date. Such an id as since_id would hide every real post after it.
std::string implausibleXId(const std::string& id, UnixTime createdAt, UnixTime now);

struct SourceContext;
std::unique_ptr<Source> makeXSource(ObjectReader& reader, const SourceContext& context);

// X recent search with an app bearer token. X bills every post read, so the default interval
// is long and since_id makes each poll return only what is new.
class XSource final : public Source {
public:
    struct Settings {
        std::string bearerToken;
        std::string query; // "#OpenCamp -is:retweet"
        std::string apiBase = "https://api.x.com";
        int maxResults = 25;
        // Pages read in one poll when more than maxResults posts came since the last one
        // (a burst); each page is billed, so the walk back is bounded.
        int maxPages = 4;
        std::chrono::seconds interval{300};
    };
    explicit XSource(Settings settings);

    std::string label() const override { return "x " + settings_.query; }
    std::chrono::seconds pollInterval() const override { return settings_.interval; }
    PollOutput poll(HttpClient& http, const PollSettings& settings) override;
    std::vector<std::string> hosts() const override;
    // nextToken: meta.next_token of the previous page of the same poll ("" for the first).
    std::string requestUrl(const std::string& nextToken = "") const;
    std::string saveState() const override { return sinceId_; }
    void loadState(const std::string& state) override { sinceId_ = state; }

private:
    Settings settings_;
    std::string sinceId_;
};

} // namespace kiosk
