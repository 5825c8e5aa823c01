// Status JSON -> Post. Boosts unwrap to the inner status; private and direct statuses never
// become posts; a malformed status is skipped with its index and id, the rest of the page loads.
#include "kiosk/sources/Mastodon.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"
#include "kiosk/net/Sse.h"
#include "kiosk/sources/SourceRegistry.h"
#include "kiosk/text/Html.h"

#include <nlohmann/json.hpp>

namespace kiosk {
namespace {

using nlohmann::json;

void readEmoji(const json& obj, std::vector<CustomEmoji>& out) {
    auto it = obj.find("emojis");
    if (it == obj.end() || !it->is_array()) {
        return;
    }
    for (const auto& e : *it) {
        const std::string url = webUrlOrEmpty(
            textAt(e, "static_url").empty() ? textAt(e, "url") : textAt(e, "static_url"));
        const std::string code = textAt(e, "shortcode");
        if (!code.empty() && !url.empty()) {
            out.push_back({code, url});
        }
    }
}

Author readAccount(const json& account, const std::string& server) {
    if (!account.is_object()) {
        throw std::runtime_error("status has no account object");
    }
    Author a;
    const std::string username = textAt(account, "username");
    std::string acct = textAt(account, "acct");
    if (acct.empty()) {
        acct = username;
    }
    // Local accounts have a bare acct; qualify it so the room knows where they post from.
    if (acct.find('@') == std::string::npos && !server.empty()) {
        acct += "@" + server;
    }
    a.handle = acct.empty() ? std::string() : "@" + acct;
    a.name = cleanInlineText(textAt(account, "display_name"));
    if (a.name.empty()) {
        a.name = username.empty() ? a.handle : username;
    }
    a.avatar =
        webUrlOrEmpty(textAt(account, "avatar_static").empty() ? textAt(account, "avatar")
                                                               : textAt(account, "avatar_static"));
    a.url = webUrlOrEmpty(textAt(account, "url"));
    a.bot = flagAt(account, "bot");
    a.noWall = asksNotToBeOnWalls(textAt(account, "note"));
    return a;
}

void readMedia(const json& status, Post& post) {
    auto it = status.find("media_attachments");
    if (it == status.end() || !it->is_array()) {
        return;
    }
    for (const auto& m : *it) {
        Media media;
        media.kind = textAt(m, "type");
        // url is null while the server is still processing; the preview is better than nothing.
        media.url = webUrlOrEmpty(textAt(m, "url"));
        if (media.url.empty()) {
            media.url = webUrlOrEmpty(textAt(m, "preview_url"));
        }
        if (media.url.empty()) {
            media.url = webUrlOrEmpty(textAt(m, "remote_url"));
        }
        media.alt = textAt(m, "description");
        if (m.contains("meta") && m["meta"].is_object() && m["meta"].contains("original") &&
            m["meta"]["original"].is_object()) {
            const auto& original = m["meta"]["original"];
            media.width = jsonDimension(original, "width");
            media.height = jsonDimension(original, "height");
        }
        if (!media.url.empty()) {
            post.media.push_back(std::move(media));
        }
    }
}

// Returns false when the status must not become a post (not public).
bool readStatus(const json& outer, const std::string& contextServer, Post& post) {
    if (!outer.is_object()) {
        throw std::runtime_error("expected a status object");
    }
    const json* status = &outer;
    auto reblog = outer.find("reblog");
    if (reblog != outer.end() && reblog->is_object()) {
        status = &*reblog;
        post.isRepost = true;
    }
    const std::string visibility = textAt(*status, "visibility");
    if (visibility == "private" || visibility == "direct") {
        return false;
    }
    const std::string id = jsonIdString(status->value("id", json()));
    if (id.empty()) {
        throw std::runtime_error("status has no id");
    }
    std::string server = contextServer;
    if (server.empty()) {
        server = hostOf(textAt(*status, "uri"));
    }
    post.source = "mastodon";
    post.id = "mastodon:" + server + ":" + id;
    const std::string created = textAt(*status, "created_at");
    const auto when = parseIsoTime(created);
    if (!when) {
        throw std::runtime_error("status " + id + " has no valid created_at (\"" + created + "\")");
    }
    post.createdAt = *when;
    post.url = webUrlOrEmpty(textAt(*status, "url"));
    if (post.url.empty()) {
        post.url = webUrlOrEmpty(textAt(*status, "uri"));
    }
    post.author = readAccount(status->value("account", json()), server);
    HtmlText body = htmlToText(textAt(*status, "content"));
    post.text = std::move(body.text);
    post.links = std::move(body.links);
    post.spoiler = cleanInlineText(textAt(*status, "spoiler_text"));
    post.sensitive = flagAt(*status, "sensitive") || !post.spoiler.empty();
    post.lang = textAt(*status, "language");
    const std::string parent = jsonIdString(status->value("in_reply_to_id", json()));
    post.isReply = !parent.empty();
    if (post.isReply) {
        post.parentId = "mastodon:" + server + ":" + parent;
    }
    if (auto tags = status->find("tags"); tags != status->end() && tags->is_array()) {
        for (const auto& t : *tags) {
            if (const auto name = textAt(t, "name"); !name.empty()) {
                post.hashtags.push_back(name);
            }
        }
    }
    if (auto mentions = status->find("mentions");
        mentions != status->end() && mentions->is_array()) {
        for (const auto& m : *mentions) {
            if (const auto acct = textAt(m, "acct"); !acct.empty()) {
                post.mentions.push_back(acct);
            }
        }
    }
    readMedia(*status, post);
    readEmoji(*status, post.customEmoji);
    readEmoji(status->value("account", json::object()), post.customEmoji);
    return true;
}

} // namespace

std::string implausibleMastodonId(const std::string& id, UnixTime createdAt, UnixTime now) {
    if (std::string why = futureDated(createdAt, now); !why.empty()) {
        return why;
    }
    // Snowflake ids have 16 low bits of sequence under a time in ms; older servers count 1, 2, 3
    // (short ids), which say nothing about time.
    if (std::max(now, createdAt) <= 0 || id.size() < 15 || id.size() > 19 ||
        !std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c); })) {
        return {};
    }
    const unsigned long long value = std::stoull(id);
    const auto idTime = UnixTime((value >> 16) / 1000);
    // Without a clock the status's own date is the reference (a dated-ahead id AND date then
    // pass, which is why streams are given the worker's clock).
    if (idTime > std::max(now, createdAt) + kClockSkewSeconds) {
        return "its id " + id + " stands for " + formatIsoTime(idTime) + ", in the future";
    }
    return {};
}

namespace {

// Statuses whose id or date cannot be right leave the page with a log line naming the URL.
void dropImplausible(ParseOutput& parsed, const std::string& url, UnixTime now) {
    std::erase_if(parsed.posts, [&](const Post& p) {
        const std::string native = p.id.substr(p.id.rfind(':') + 1);
        const std::string why = implausibleMastodonId(native, p.createdAt, now);
        if (!why.empty()) {
            logWarn("mastodon", url + ": skipped status " + native + ": " + why);
            parsed.skipped.push_back(native + ": " + why);
        }
        return !why.empty();
    });
}

} // namespace

Result<ParseOutput> parseMastodon(std::string_view body, const ParseContext& context) {
    UntrustedJson parsed = parseUntrustedJson(body);
    if (!parsed.problem.empty()) {
        return Error{parsed.problem + " (expected a list of Mastodon statuses)"};
    }
    json& doc = parsed.doc;
    if (doc.is_object() && doc.contains("error")) {
        return Error{"server said: " + doc["error"].dump()};
    }
    if (doc.is_object() && doc.contains("ancestors") && doc.contains("descendants")) {
        // A thread (GET /api/v1/statuses/:id/context): its statuses in reading order.
        json all = json::array();
        for (const char* part : {"ancestors", "descendants"}) {
            if (doc[part].is_array()) {
                all.insert(all.end(), doc[part].begin(), doc[part].end());
            }
        }
        doc = std::move(all);
    } else if (doc.is_object() && doc.contains("account") && doc.contains("id")) {
        doc = json::array({doc}); // a single status (GET /api/v1/statuses/:id)
    }
    if (!doc.is_array()) {
        return Error{
            "expected a JSON list of statuses, got " +
            std::string(doc.is_object() ? "an object that is not a status" : doc.type_name())};
    }
    ParseOutput out;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        out.record("status", i, [&]() -> std::optional<Post> {
            Post post;
            return readStatus(doc[i], context.server, post) ? std::optional(std::move(post))
                                                            : std::nullopt;
        });
    }
    return out;
}

MastodonSource::MastodonSource(Settings settings)
    : settings_(std::move(settings)), host_(hostOf(settings_.server)) {
    if (host_.empty()) {
        host_ = settings_.server;
    }
}

std::string MastodonSource::label() const {
    std::string tags;
    for (const auto& t : settings_.hashtags) {
        tags += (tags.empty() ? "#" : " #") + t;
    }
    return "mastodon " + tags + " @ " + host_;
}

std::string MastodonSource::requestUrl(const std::string& hashtag, bool withCursor) const {
    if (!settings_.urlOverride.empty()) {
        return settings_.urlOverride;
    }
    std::string url = trimTrailingSlash(settings_.server) + "/api/v1/timelines/tag/" +
                      percentEncode(hashtag) + "?limit=" + std::to_string(settings_.pageLimit);
    auto it = newestId_.find(hashtag);
    if (withCursor && it != newestId_.end()) {
        url += "&min_id=" + percentEncode(it->second);
    }
    return url;
}

std::string MastodonSource::checkTimelineAccess(HttpClient& http, const PollSettings& settings) {
    // Mastodon 4.5+ says whether hashtag feeds are public, need a login, or are switched off.
    // Older servers answer 404 here, and then the timeline itself is the test.
    HttpRequest request =
        settings.request(trimTrailingSlash(settings_.server) + "/api/v2/instance");
    const HttpResponse response = http.send(request);
    accessChecked_ = true;
    if (!response.ok()) {
        return {};
    }
    const auto doc = parseUntrustedJson(response.body).doc;
    const auto access =
        doc.is_object() ? doc.value("/configuration/timelines_access/hashtag_feeds"_json_pointer,
                                    nlohmann::json())
                        : nlohmann::json();
    if (!access.is_object()) {
        return {};
    }
    // The streaming API may live on its own host (wss://streaming.mastodon.social).
    if (auto streaming = doc.value("/configuration/urls/streaming"_json_pointer, nlohmann::json());
        streaming.is_string()) {
        std::string url = streaming.get<std::string>();
        if (url.rfind("wss://", 0) == 0) {
            url = "https://" + url.substr(6);
        } else if (url.rfind("ws://", 0) == 0) {
            url = "http://" + url.substr(5);
        }
        streamingBase_ = webUrlOrEmpty(url);
    }
    const std::string remote = textAt(access, "remote");
    const std::string local = textAt(access, "local");
    if (local == "disabled" && remote == "disabled") {
        return host_ + " has switched hashtag timelines off; no posts can come from this server";
    }
    if ((local == "authenticated" || remote == "authenticated") && settings_.token.empty()) {
        return host_ + " shows hashtag timelines to logged-in users only; add a \"token\" for "
                       "this source";
    }
    if (local == "disabled" || remote == "disabled") {
        logWarn("mastodon", host_ + " shows only " + (local == "disabled" ? "remote" : "local") +
                                " posts in hashtag timelines");
    }
    return {};
}

Fetched MastodonSource::fetchTimeline(HttpClient& http, const PollSettings& settings,
                                      const std::string& hashtag, bool withCursor,
                                      PollOutput& out) {
    HttpRequest request = settings.request(requestUrl(hashtag, withCursor));
    if (!settings_.token.empty()) {
        request.headers.emplace_back("Authorization", "Bearer " + settings_.token);
    }
    ++out.requests;
    Fetched fetched =
        fetchAndParse(http, request, parseMastodon, {host_, settings.now}, "mastodon");
    if (fetched.ok()) {
        dropImplausible(fetched.out, request.url, settings.now);
    }
    return fetched;
}

PollOutput MastodonSource::poll(HttpClient& http, const PollSettings& settings) {
    PollOutput out;
    if (!accessChecked_ && settings_.urlOverride.empty()) {
        ++out.requests;
        accessProblem_ = checkTimelineAccess(http, settings);
    }
    if (!accessProblem_.empty()) {
        out.error = accessProblem_;
        return out;
    }
    for (const auto& tag : settings_.hashtags) {
        // min_id pages forward from the newest post we have; a full page means more are
        // waiting, so keep going (bounded) instead of leaving a gap after a burst.
        for (int page = 0; page < settings_.maxCatchUpPages; ++page) {
            Fetched fetched = fetchTimeline(http, settings, tag, true, out);
            if (!fetched.ok()) {
                out.error = fetched.error;
                break;
            }
            const std::string url = requestUrl(tag);
            ParseOutput& parsed = fetched.out;
            out.skippedRecords += int(parsed.skipped.size());
            std::string newest = newestId_.count(tag) ? newestId_[tag] : std::string();
            for (const auto& post : parsed.posts) {
                const std::string native = post.id.substr(post.id.rfind(':') + 1);
                if (newest.empty() || numericIdNewer(native, newest)) {
                    newest = native;
                }
            }
            const bool hadCursor = newestId_.count(tag) > 0;
            const bool full =
                int(parsed.posts.size() + parsed.skipped.size()) >= settings_.pageLimit;
            if (!newest.empty()) {
                newestId_[tag] = newest;
            }
            if (parsed.posts.empty() && parsed.skipped.empty() && !hadCursor) {
                // An empty first page may mean "no posts yet" or a feed the server hides.
                logInfo("mastodon", url + ": no posts yet for #" + tag);
            }
            delivered(tag, parsed.posts);
            for (auto& p : parsed.posts) {
                out.posts.push_back(std::move(p));
            }
            // The first poll takes the newest page only; catching up is for later bursts.
            if (!hadCursor || !full || !settings_.urlOverride.empty()) {
                break;
            }
        }
    }
    if (out.error.empty() && settings_.urlOverride.empty()) {
        checkCursors(http, settings, out);
    }
    out.warning = stalled_;
    return out;
}

std::string MastodonSource::saveState() const {
    if (newestId_.empty()) {
        return {};
    }
    return nlohmann::json{{"newest", newestId_}, {"newest_at", newestAt_}}.dump();
}

void MastodonSource::loadState(const std::string& state) {
    const auto j = nlohmann::json::parse(state, nullptr, false);
    if (j.is_object() && j.contains("newest") && j["newest"].is_object()) {
        for (const auto& [tag, id] : j["newest"].items()) {
            if (id.is_string()) {
                newestId_[tag] = id.get<std::string>();
            }
        }
    }
    if (j.is_object() && j.contains("newest_at") && j["newest_at"].is_object()) {
        for (const auto& [tag, when] : j["newest_at"].items()) {
            if (when.is_number_integer()) {
                newestAt_[tag] = when.get<UnixTime>();
            }
        }
    }
}

bool MastodonSource::canStream() const {
    // Since Mastodon 4.2 streaming needs a user token; one stream carries one hashtag.
    return settings_.streaming && !settings_.token.empty() && settings_.hashtags.size() == 1 &&
           settings_.urlOverride.empty();
}

std::string MastodonSource::streamUrl() const {
    const std::string base = streamingBase_.empty() ? settings_.server : streamingBase_;
    return trimTrailingSlash(base) +
           "/api/v1/streaming/hashtag?tag=" + percentEncode(settings_.hashtags.front());
}

PollOutput MastodonSource::stream(HttpClient& http, const PollSettings& settings,
                                  StreamSink& sink) {
    PollOutput out;
    const std::string& tag = settings_.hashtags.front();
    HttpRequest request = settings.request(streamUrl());
    request.headers.emplace_back("Authorization", "Bearer " + settings_.token);
    request.headers.emplace_back("Accept", "text/event-stream");
    request.totalTimeout = std::chrono::seconds(90); // silence this long means a dead stream
    std::size_t events = 0;
    SseParser parser([&](const SseEvent& e) {
        ++events;
        if (e.event == "update" || e.event == "status.update") {
            auto parsed = parseMastodon(e.data, {host_, settings.now});
            if (!parsed) {
                logWarn("mastodon",
                        request.url + ": skipped a " + e.event + " event: " + parsed.error());
                return;
            }
            // A stream lives for hours: its start time is no "now" to judge dates by.
            dropImplausible(*parsed, request.url, settings.clock ? settings.clock() : 0);
            for (const auto& post : parsed->posts) {
                const std::string native = post.id.substr(post.id.rfind(':') + 1);
                if (!newestId_.count(tag) || numericIdNewer(native, newestId_[tag])) {
                    newestId_[tag] = native; // the catch-up after a drop starts from here
                }
            }
            delivered(tag, parsed->posts);
            if (!parsed->posts.empty()) {
                out.posts.insert(out.posts.end(), parsed->posts.begin(), parsed->posts.end());
                sink.posts(std::move(parsed->posts));
            }
        } else if (e.event == "delete" && !e.data.empty()) {
            sink.deleted({"mastodon:" + host_ + ":" + e.data});
        }
    });
    ++out.requests;
    logInfo("mastodon", "streaming " + request.url);
    const HttpResponse response = http.stream(request, [&](std::string_view chunk) {
        parser.feed(chunk);
        return sink.keepGoing();
    });
    if (!sink.keepGoing()) {
        return out; // we hung up
    }
    if (!response.ok()) {
        out.error = describeApiFailure(request, response);
    } else {
        out.error = request.url + ": the stream ended after " + std::to_string(events) +
                    " events; polling until it is back";
    }
    return out;
}

std::unique_ptr<Source> makeMastodonSource(ObjectReader& r, const SourceContext& context) {
    MastodonSource::Settings s;
    s.server = r.string("server", "", true);
    if (!s.server.empty() && !isWebUrl(s.server)) {
        r.error("server", "expected an https:// URL such as \"https://mastodon.social\"");
    }
    s.hashtags = r.stringList("hashtags", true);
    for (auto& tag : s.hashtags) {
        if (!tag.empty() && tag.front() == '#') {
            tag.erase(0, 1);
        }
        if (tag.empty() || tag.find_first_of(" /?#&") != std::string::npos) {
            r.error("hashtags", "\"" + tag + "\" is not a hashtag (no spaces or punctuation)");
        }
    }
    s.token = r.string("token", "");
    s.streaming = r.boolean("streaming", true);
    s.urlOverride = resolveFileUrl(r.string("url", ""), context.configDir);
    s.interval = std::chrono::seconds(r.integer("poll_seconds", 30, 5, 86400));
    return std::make_unique<MastodonSource>(std::move(s));
}

} // namespace kiosk
