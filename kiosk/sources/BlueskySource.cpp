// See BlueskySource.h.
#include "kiosk/sources/BlueskySource.h"
#include "kiosk/base/FileText.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"
#include "kiosk/base/UserDirs.h"
#include "kiosk/sources/Bluesky.h"
#include "kiosk/sources/SourceRegistry.h"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace kiosk {
namespace {

using nlohmann::json;

bool looksLikeHtml(const HttpResponse& r) {
    const auto first = r.body.find_first_not_of(" \r\n\t");
    return r.header("content-type").find("text/html") != std::string::npos ||
           (first != std::string::npos && r.body[first] == '<');
}

std::string xrpcError(const HttpResponse& r) {
    const auto doc = parseUntrustedJson(r.body).doc;
    return doc.is_object() ? textAt(doc, "error") : std::string();
}

} // namespace

std::string defaultStateDir() {
    return userDir(UserDir::State);
}

BlueskySource::BlueskySource(Settings settings) : settings_(std::move(settings)) {}

json BlueskySource::stateJson() const {
    json state{{"identifier", settings_.identifier},
               {"did", session_.did},
               {"accessJwt", session_.accessJwt},
               {"refreshJwt", session_.refreshJwt}};
    if (!newest_.empty()) {
        state["newest"] = newest_;
    }
    return state;
}

void BlueskySource::restore(const json& doc) {
    session_ = {textAt(doc, "did"), textAt(doc, "accessJwt"), textAt(doc, "refreshJwt")};
    if (doc.contains("newest") && doc["newest"].is_object()) {
        for (const auto& [tag, when] : doc["newest"].items()) {
            if (when.is_number_integer()) {
                newest_[tag] = when.get<UnixTime>();
            }
        }
    }
}

std::string BlueskySource::saveState() const {
    return session_.accessJwt.empty() ? std::string() : stateJson().dump();
}

void BlueskySource::loadState(const std::string& state) {
    const auto doc = json::parse(state, nullptr, false);
    if (textAt(doc, "identifier") != settings_.identifier || textAt(doc, "accessJwt").empty()) {
        return;
    }
    restore(doc);
    loadedFromFile_ = true; // the database's copy is at least as new as the file's
}

std::string BlueskySource::label() const {
    std::string tags;
    for (const auto& t : settings_.hashtags) {
        tags += (tags.empty() ? "#" : " #") + t;
    }
    return "bluesky " + tags + (loggedIn() ? " as " + settings_.identifier : " (anonymous)");
}

std::vector<std::string> BlueskySource::hosts() const {
    return {hostOf(loggedIn() ? settings_.service : settings_.appView)};
}

std::string BlueskySource::searchUrl(const std::string& tag) const {
    // Logged in, the PDS proxies the search to the AppView on the account's behalf.
    const std::string base = trimTrailingSlash(loggedIn() ? settings_.service : settings_.appView);
    return base + "/xrpc/app.bsky.feed.searchPosts?q=" + percentEncode("#" + tag) +
           "&sort=latest&limit=" + std::to_string(settings_.limit);
}

bool BlueskySource::takeSession(const std::string& body) {
    const auto doc = parseUntrustedJson(body).doc;
    const std::string access = textAt(doc, "accessJwt");
    const std::string refreshToken = textAt(doc, "refreshJwt");
    if (access.empty() || refreshToken.empty()) {
        return false;
    }
    session_ = {textAt(doc, "did"), access, refreshToken};
    saveSession();
    return true;
}

void BlueskySource::loadSession() {
    loadedFromFile_ = true;
    if (settings_.sessionFile.empty()) {
        return;
    }
    const auto text = readTextFile(settings_.sessionFile);
    if (!text) {
        return;
    }
    const auto doc = json::parse(*text, nullptr, false);
    if (textAt(doc, "identifier") != settings_.identifier) {
        return; // tokens of another account: log in afresh
    }
    restore(doc);
    logInfo("bluesky", "reusing the saved session from " + settings_.sessionFile);
}

void BlueskySource::saveSession() const {
    if (settings_.sessionFile.empty()) {
        return;
    }
    namespace fs = std::filesystem;
    const fs::path path(settings_.sessionFile);
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << stateJson().dump();
        if (!out) {
            logWarn("bluesky", tmp.string() + ": cannot save the session; the next start logs in");
            return;
        }
    }
    ::chmod(tmp.c_str(), 0600); // tokens are credentials
    fs::rename(tmp, path, ec);
    if (ec) {
        logWarn("bluesky", path.string() + ": cannot save the session: " + ec.message());
    }
}

std::string BlueskySource::login(HttpClient& http, const PollSettings& settings) {
    if (lastLogin_ != 0 && settings.now - lastLogin_ < settings_.loginSpacing.count()) {
        return "waiting before logging in to Bluesky again (logins are rate limited)";
    }
    lastLogin_ = settings.now;
    HttpRequest request = settings.request(trimTrailingSlash(settings_.service) +
                                           "/xrpc/com.atproto.server.createSession");
    request.method = "POST";
    request.headers.emplace_back("Content-Type", "application/json");
    request.body =
        json{{"identifier", settings_.identifier}, {"password", settings_.appPassword}}.dump();
    const HttpResponse response = http.send(request);
    if (!response.ok()) {
        if (response.status == 401) {
            return "Bluesky refused the login for " + settings_.identifier +
                   ": check the handle and the app password (" +
                   describeApiFailure(request, response) + ")";
        }
        return "Bluesky login failed: " + describeApiFailure(request, response);
    }
    if (!takeSession(response.body)) {
        return "Bluesky login answered without tokens (" + request.url + ")";
    }
    logInfo("bluesky", "logged in as " + settings_.identifier);
    return {};
}

bool BlueskySource::refresh(HttpClient& http, const PollSettings& settings) {
    if (session_.refreshJwt.empty()) {
        return false;
    }
    HttpRequest request = settings.request(trimTrailingSlash(settings_.service) +
                                           "/xrpc/com.atproto.server.refreshSession");
    request.method = "POST";
    request.headers.emplace_back("Authorization", "Bearer " + session_.refreshJwt);
    const HttpResponse response = http.send(request);
    if (response.ok() && takeSession(response.body)) {
        logInfo("bluesky", "session refreshed");
        return true;
    }
    logWarn("bluesky", "refreshing the session failed: " + describeApiFailure(request, response));
    session_ = {};
    return false;
}

std::string BlueskySource::ensureSession(HttpClient& http, const PollSettings& settings) {
    if (!loadedFromFile_) {
        loadSession();
    }
    if (!session_.accessJwt.empty()) {
        return {};
    }
    if (refresh(http, settings)) {
        return {};
    }
    return login(http, settings);
}

BlueskySource::SearchPage BlueskySource::searchPage(HttpClient& http, const PollSettings& settings,
                                                    const std::string& tag,
                                                    const std::string& cursor, PollOutput& out) {
    SearchPage page;
    HttpResponse response;
    HttpRequest request;
    const std::string url =
        searchUrl(tag) + (cursor.empty() ? "" : "&cursor=" + percentEncode(cursor));
    for (int attempt = 0; attempt < 2; ++attempt) {
        request = settings.request(url);
        if (loggedIn()) {
            request.headers.emplace_back("Authorization", "Bearer " + session_.accessJwt);
        }
        ++out.requests;
        response = http.send(request);
        const std::string err = xrpcError(response);
        const bool expired = (response.status == 400 || response.status == 401) &&
                             (err == "ExpiredToken" || err == "InvalidToken");
        if (!(loggedIn() && expired && attempt == 0)) {
            break;
        }
        // Access tokens live for minutes; refresh (or log in again) and retry once.
        if (!refresh(http, settings)) {
            if (auto problem = login(http, settings); !problem.empty()) {
                out.error = problem;
                page.loginFailed = true;
                return page;
            }
        }
    }
    if (response.status == 403 && looksLikeHtml(response)) {
        out.error = "Bluesky search needs a logged-in account: add \"identifier\" and "
                    "\"app_password\" to this source (HTTP 403 from " +
                    request.url + ")";
        return page;
    }
    if (!response.ok()) {
        out.error = describeApiFailure(request, response);
        return page;
    }
    auto parsed = parseBluesky(response.body, {"", settings.now});
    if (!parsed) {
        out.error = request.url + ": " + parsed.error();
        return page;
    }
    dropFutureDated(parsed.value(), settings.now); // it would hold the burst mark ahead
    for (const auto& skipped : parsed->skipped) {
        logWarn("bluesky", request.url + ": skipped " + skipped);
    }
    page.ok = true;
    page.records = int(parsed->posts.size() + parsed->skipped.size());
    out.skippedRecords += int(parsed->skipped.size());
    page.posts = std::move(parsed->posts);
    page.cursor = std::move(parsed->nextPage);
    return page;
}

PollOutput BlueskySource::poll(HttpClient& http, const PollSettings& settings) {
    PollOutput out;
    if (loggedIn()) {
        if (auto problem = ensureSession(http, settings); !problem.empty()) {
            out.error = problem;
            return out;
        }
    }
    for (const auto& tag : settings_.hashtags) {
        // A full page of posts all newer than the newest seen last time means a burst: read on
        // with the cursor (bounded) so it leaves no gap. Only a session may page: the public
        // AppView refuses a cursor. The first poll takes the newest page only.
        const auto known = newest_.find(tag);
        const UnixTime mark = known == newest_.end() ? 0 : known->second;
        UnixTime newest = mark;
        std::string cursor;
        bool failed = false, complete = false;
        for (int n = 0; n < settings_.maxPages && !complete; ++n) {
            SearchPage page = searchPage(http, settings, tag, cursor, out);
            if (page.loginFailed) {
                return out;
            }
            if (!page.ok) {
                failed = true;
                break;
            }
            UnixTime oldest = 0;
            for (auto& p : page.posts) {
                newest = std::max(newest, p.createdAt);
                oldest = oldest == 0 ? p.createdAt : std::min(oldest, p.createdAt);
                out.posts.push_back(std::move(p));
            }
            const bool burst = loggedIn() && known != newest_.end() && !page.cursor.empty() &&
                               page.records >= settings_.limit && oldest > mark;
            complete = !burst;
            cursor = page.cursor;
        }
        if (!failed && !complete) {
            logWarn("bluesky", label() + ": more than " + std::to_string(settings_.maxPages) +
                                   " pages of #" + tag +
                                   " since the last poll; the older ones are left out");
        }
        // The mark moves only when the walk back ended: a failed page is read again next time.
        if (loggedIn() && !failed && newest > 0) {
            newest_[tag] = newest;
        }
    }
    return out;
}

std::unique_ptr<Source> makeBlueskySource(ObjectReader& r, const SourceContext&) {
    BlueskySource::Settings s;
    s.hashtags = r.stringList("hashtags", true);
    for (auto& tag : s.hashtags) {
        if (!tag.empty() && tag.front() == '#') {
            tag.erase(0, 1);
        }
    }
    s.identifier = r.string("identifier", "");
    s.appPassword = r.string("app_password", "");
    if (s.identifier.empty() != s.appPassword.empty()) {
        r.error(s.identifier.empty() ? "identifier" : "app_password",
                "give both \"identifier\" and \"app_password\" (an app password from Bluesky's "
                "settings), or neither for anonymous search");
    }
    s.service = r.string("service", s.service);
    s.appView = r.string("appview", s.appView);
    for (const char* key : {"service", "appview"}) {
        if (!isWebUrl(key == std::string("service") ? s.service : s.appView)) {
            r.error(key, "expected an https:// URL");
        }
    }
    s.sessionFile = r.string("session_file", "");
    if (s.sessionFile.empty() && !s.identifier.empty()) {
        s.sessionFile = defaultStateDir() + "/bluesky-" + s.identifier + ".json";
    }
    s.limit = int(r.integer("limit", 50, 1, 100));
    s.maxPages = int(r.integer("max_pages", 4, 1, 10));
    s.interval = std::chrono::seconds(r.integer("poll_seconds", 60, 20, 86400));
    return std::make_unique<BlueskySource>(std::move(s));
}

} // namespace kiosk
