// What every source adapter offers: a pure parser for its API's payloads (table-tested on
// recorded formats) and a Source that polls through an HttpClient and remembers its cursor.
#pragma once

#include "kiosk/base/JsonField.h"
#include "kiosk/base/Result.h"
#include "kiosk/model/Post.h"
#include "kiosk/net/HttpClient.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace kiosk {

struct ParseContext {
    std::string server; // host the payload came from; "" lets the parser derive it per record
    UnixTime now = 0;   // stands in for records without a date; 0: such records are skipped
};

struct ParseOutput {
    std::vector<Post> posts;
    std::vector<std::string> skipped; // one message per record left out because it was malformed
    // Reads record `index` of an answer with `read`, which returns the Post, or an optional one
    // (nullopt: left out on purpose, an unapproved comment). A record that throws is skipped as
    // "<kind> [index]: why" and the rest still parse; the source logs each such line.
    template <typename Read> void record(std::string_view kind, std::size_t index, Read&& read) {
        try {
            if constexpr (std::is_same_v<std::invoke_result_t<Read>, Post>) {
                posts.push_back(read());
            } else if (auto post = read()) {
                posts.push_back(std::move(*post));
            }
        } catch (const std::exception& e) {
            skipped.push_back(std::string(kind) + " [" + std::to_string(index) + "]: " + e.what());
        }
    }
    // Paging marks from the envelope, read in the same parse: the next older page (Bluesky's
    // cursor, X's meta.next_token) and X's meta.newest_id; "" where the API has none.
    std::string nextPage;
    std::string newestId;
};

using ParseFn = Result<ParseOutput> (*)(std::string_view body, const ParseContext& context);

struct PollOutput {
    std::vector<Post> posts;
    std::string error; // "" when every request succeeded
    int skippedRecords = 0;
    int requests = 0;
    std::string warning; // the polls work but something is off (a stalled cursor); for health
};

// Servers' and boards' clocks disagree by minutes, not more: a record dated further ahead of
// the board's clock cannot be right, and would sit at the top of the wall (and, as a cursor,
// ahead of every real record) until that date.
inline constexpr UnixTime kClockSkewSeconds = 600;
// Why a record dated createdAt cannot be right at now ("" when it can; now 0: no judgement).
std::string futureDated(UnixTime createdAt, UnixTime now);
// Moves such records from parsed.posts to parsed.skipped (with the reason).
void dropFutureDated(ParseOutput& parsed, UnixTime now);

struct PollSettings {
    std::chrono::seconds connectTimeout{10};
    std::chrono::seconds totalTimeout{30};
    std::size_t maxResponseBytes = 4 * 1024 * 1024;
    UnixTime now = 0; // set by the fetch worker for each poll
    // The worker's clock, for a stream that lives for hours past `now`; unset in one-off polls.
    std::function<UnixTime()> clock;

    HttpRequest request(std::string url) const;
};

// Where a streaming source delivers what happens while it is connected.
struct StreamSink {
    std::function<void(std::vector<Post>)> posts;          // new or edited posts
    std::function<void(std::vector<std::string>)> deleted; // post ids removed at the source
    std::function<bool()> keepGoing;                       // false: hang up now
};

class Source {
public:
    virtual ~Source() = default;
    // "mastodon #VCSSCamp @ mastodon.social": names the source in health lines and logs.
    virtual std::string label() const = 0;
    virtual std::chrono::seconds pollInterval() const = 0;
    virtual PollOutput poll(HttpClient& http, const PollSettings& settings) = 0;
    // Hosts this source talks to, so the worker can honour their rate limits.
    virtual std::vector<std::string> hosts() const = 0;
    // Sources that can push (Mastodon's streaming API) say so; the worker then polls once to
    // catch up and calls stream(), which returns when the connection drops (error set) or
    // keepGoing() says stop. Polling takes over while the stream is down.
    virtual bool canStream() const { return false; }
    // Where the source stands (cursors, validators), so a restart resumes instead of
    // refetching everything; "" when there is nothing worth keeping.
    virtual std::string saveState() const { return {}; }
    virtual void loadState(const std::string& state) { (void)state; }
    virtual PollOutput stream(HttpClient& http, const PollSettings& settings, StreamSink& sink);
};

struct Fetched {
    std::string error; // "" on success: names the URL, the status and the API's words
    ParseOutput out;
    HttpResponse response; // as received, for cursors in the envelope and validators

    bool ok() const { return error.empty(); }
    bool notModified() const { return response.status == 304; }
};

// Fetches one URL and parses it: the step every adapter's poll shares. A 304 is a success
// with no posts. Records dated in the future (futureDated against context.now) are left out;
// they and other skipped records are logged with the URL under the adapter's module tag.
Fetched fetchAndParse(HttpClient& http, const HttpRequest& request, ParseFn parse,
                      const ParseContext& context, const std::string& module);
// "HTTP 401 ...: <the API's own message>" for a failed response.
std::string describeApiFailure(const HttpRequest& request, const HttpResponse& response);

// True when id a is newer than b, for the time-ordered decimal ids of Mastodon and X (longer
// is newer, then lexical order).
bool numericIdNewer(const std::string& a, const std::string& b);

// Shared JSON tolerance: ids arrive as strings on modern servers and as integers on old ones.
std::string jsonIdString(const nlohmann::json& value);

} // namespace kiosk
