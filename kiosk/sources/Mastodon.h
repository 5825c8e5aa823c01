// Mastodon hashtag timelines (GET /api/v1/timelines/tag/:tag): parser for Status arrays and a
// polling source that follows min_id per hashtag so a burst is caught up page by page.
#pragma once

#include "kiosk/base/ConfigReader.h"
#include "kiosk/sources/Source.h"

#include <map>
#include <memory>

namespace kiosk {

Result<ParseOutput> parseMastodon(std::string_view body, const ParseContext& context);

// Whether a status may move the cursor: not dated beyond a few minutes ahead of now, and a
// time-ordered (snowflake) id whose time (its upper 48 bits, in ms) is not ahead of both now
// and the status's own date. One id from another id space (a proxy, a migration, a bug) would
// otherwise set min_id past every real post and silence the source for good. "" when plausible,
// else why not.
std::string implausibleMastodonId(const std::string& id, UnixTime createdAt, UnixTime now);

struct SourceContext;
std::unique_ptr<Source> makeMastodonSource(ObjectReader& reader, const SourceContext& context);

class MastodonSource final : public Source {
public:
    struct Settings {
        std::string server; // "https://mastodon.social"
        std::vector<std::string> hashtags;
        std::string token;
        std::string urlOverride; // e.g. file: for the offline demo
        std::chrono::seconds interval{30};
        int pageLimit = 40;
        int maxCatchUpPages = 5;
        bool streaming = true; // with a token and one hashtag: push instead of polling
    };
    explicit MastodonSource(Settings settings);

    std::string label() const override;
    std::chrono::seconds pollInterval() const override { return settings_.interval; }
    PollOutput poll(HttpClient& http, const PollSettings& settings) override;
    std::vector<std::string> hosts() const override { return {host_}; }

    // withCursor false: the newest page whatever min_id says (the cursor check).
    std::string requestUrl(const std::string& hashtag, bool withCursor = true) const;
    bool canStream() const override;
    std::string saveState() const override;
    void loadState(const std::string& state) override;
    PollOutput stream(HttpClient& http, const PollSettings& settings, StreamSink& sink) override;
    std::string streamUrl() const;

    // How often the cursor is checked against the server's newest page.
    static constexpr UnixTime kCursorCheckSeconds = 600;

private:
    std::string checkTimelineAccess(HttpClient& http, const PollSettings& settings);
    // Every kCursorCheckSeconds: reads each hashtag's newest page without min_id. Posts there
    // that are newer than anything the cursor brought, yet below the cursor, mean min_id went
    // past the server's timeline (an id from another id space: a migration, a proxy, a bug)
    // and polls that "succeed" will never show another post. Such a hashtag is reported as
    // stalled (PollOutput::warning), gets those posts, and reads on from the server's newest.
    void checkCursors(HttpClient& http, const PollSettings& settings, PollOutput& out);
    // One page of a hashtag's timeline, implausible statuses left out (logged with the URL).
    Fetched fetchTimeline(HttpClient& http, const PollSettings& settings,
                          const std::string& hashtag, bool withCursor, PollOutput& out);
    void delivered(const std::string& hashtag, const std::vector<Post>& posts);

    Settings settings_;
    std::string host_;
    bool accessChecked_ = false;
    std::string streamingBase_; // configuration.urls.streaming, as https
    std::string accessProblem_; // set when the server does not offer its hashtag feeds
    std::map<std::string, std::string> newestId_; // per hashtag; the min_id of the next poll
    std::map<std::string, UnixTime> newestAt_;    // per hashtag: newest date the cursor brought
    UnixTime cursorsCheckedAt_ = 0;
    std::string stalled_; // the last check's finding, shown in health until a check is clean
};

} // namespace kiosk
