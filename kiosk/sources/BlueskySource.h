// Polls Bluesky search (app.bsky.feed.searchPosts, sort=latest) for the event's hashtags.
// With a handle and an app password it logs in once (createSession), refreshes the session
// when the access token expires (refreshSession), keeps the tokens in a file across restarts,
// and never logs in per poll. Without credentials it tries the public AppView, which Bluesky
// often closes to anonymous search; that is reported in plain words.
#pragma once

#include "kiosk/base/ConfigReader.h"
#include "kiosk/sources/Source.h"

#include <map>
#include <memory>

namespace kiosk {

struct SourceContext;
std::unique_ptr<Source> makeBlueskySource(ObjectReader& reader, const SourceContext& context);

struct BlueskySession {
    std::string did;
    std::string accessJwt;
    std::string refreshJwt;
};

class BlueskySource final : public Source {
public:
    struct Settings {
        std::string identifier; // handle or email; "" for anonymous search
        std::string appPassword;
        std::vector<std::string> hashtags;
        std::string service = "https://bsky.social";         // the account's PDS (entryway)
        std::string appView = "https://public.api.bsky.app"; // anonymous search
        std::string sessionFile;                             // "" keeps tokens in memory only
        int limit = 50;
        int maxPages = 4; // pages read in one poll to catch up after a burst (logged in only)
        std::chrono::seconds interval{60};
        std::chrono::seconds loginSpacing{600}; // createSession is limited to 30 per 5 min
    };
    explicit BlueskySource(Settings settings);

    std::string label() const override;
    std::chrono::seconds pollInterval() const override { return settings_.interval; }
    PollOutput poll(HttpClient& http, const PollSettings& settings) override;
    std::vector<std::string> hosts() const override;
    // The session travels with the wall's database too, so a restart never logs in again.
    std::string saveState() const override;
    void loadState(const std::string& state) override;

    const BlueskySession& session() const { return session_; }

private:
    bool loggedIn() const { return !settings_.identifier.empty(); }
    std::string searchUrl(const std::string& tag) const;
    struct SearchPage {
        bool ok = false;
        bool loginFailed = false; // the session is gone and logging in failed: stop polling
        int records = 0;          // posts, parsed or skipped
        std::vector<Post> posts;
        std::string cursor;
    };
    // One page of search results; on failure out.error says why.
    SearchPage searchPage(HttpClient& http, const PollSettings& settings, const std::string& tag,
                          const std::string& cursor, PollOutput& out);
    // "" on success; otherwise why there is no usable session.
    std::string ensureSession(HttpClient& http, const PollSettings& settings);
    std::string login(HttpClient& http, const PollSettings& settings);
    bool refresh(HttpClient& http, const PollSettings& settings);
    bool takeSession(const std::string& body);
    void loadSession();
    void saveSession() const;
    // The session and the per-hashtag marks, as saved in the database and the session file.
    nlohmann::json stateJson() const;
    void restore(const nlohmann::json& doc);

    Settings settings_;
    BlueskySession session_;
    bool loadedFromFile_ = false;
    UnixTime lastLogin_ = 0;
    std::map<std::string, UnixTime> newest_; // per hashtag: the newest post seen, when logged in
};

// Where tokens live by default: $XDG_STATE_HOME/kiosk (or ~/.local/state/kiosk).
std::string defaultStateDir();

} // namespace kiosk
