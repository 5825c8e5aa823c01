// See AdminApi.h.
#include "kiosk/admin/AdminApi.h"
#include "kiosk/base/FileText.h"
#include "kiosk/base/ImageHeader.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace kiosk {
namespace {

using nlohmann::json;

// Post text, names and links are untrusted: the page builds its DOM with textContent only, and
// this policy forbids inline script and any other origin, so markup that slips through is inert.
const char* kSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; "
                              "img-src 'self' blob:; connect-src 'self'; form-action 'self'; "
                              "frame-ancestors 'none'; base-uri 'none'";

// The host part of a Host header ("10.0.0.7:8080", "[fe80::1]:8080", "wall.local").
std::string hostPart(const std::string& host) {
    if (!host.empty() && host.front() == '[') {
        return host.substr(1, host.find(']') == std::string::npos ? std::string::npos
                                                                  : host.find(']') - 1);
    }
    const auto colon = host.find(':');
    return colon == std::string::npos ? host : host.substr(0, colon);
}

} // namespace

AdminApi::AdminApi(AdminAuth& auth, ControlCall call, std::string assetsDir,
                   std::function<UnixTime()> clock)
    : auth_(auth), call_(std::move(call)), assetsDir_(std::move(assetsDir)),
      clock_(std::move(clock)) {}

void AdminApi::setHostNames(std::vector<std::string> names) {
    for (auto& n : names) {
        n = lowerCase(n);
    }
    hostNames_ = std::move(names);
}

std::size_t AdminApi::bodyLimit(const std::string& method, const std::string& path) const {
    return std::max(kMaxBody, venue_ ? venue_->bodyLimit(method, path) : 0);
}

bool AdminApi::trustedClient(const std::string& client) {
    return auth_.trusted(client, clock_());
}

bool AdminApi::hostAllowed(const AdminRequest& request) const {
    // A browser always sends Host; a name other than the wall's own is a page on another site
    // whose name was pointed at the wall (DNS rebinding), and the answer must not reach it.
    const std::string host = lowerCase(hostPart(header(request, "host")));
    return host.empty() || host == "localhost" || isIpAddress(host) ||
           std::find(hostNames_.begin(), hostNames_.end(), host) != hostNames_.end();
}

AdminResponse AdminApi::handle(const AdminRequest& request) {
    AdminResponse r;
    try {
        r = route(request);
    } catch (const std::exception& e) {
        // Only the last resort: an exception unwinding into libmicrohttpd ends the wall.
        logError("admin", "unexpected failure answering " + request.method + " " + request.path +
                              " from " + request.client + ": " + e.what());
        r = errorResponse(500, "the wall could not answer this; its log says why");
    }
    r.headers.emplace_back("Content-Security-Policy", kSecurityPolicy);
    r.headers.emplace_back("X-Content-Type-Options", "nosniff");
    r.headers.emplace_back("X-Frame-Options", "DENY");
    r.headers.emplace_back("Referrer-Policy", "no-referrer");
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

AdminResponse AdminApi::route(const AdminRequest& request) {
    AdminResponse r;
    if (!hostAllowed(request)) {
        logWarn("admin", "refused a request for Host \"" + header(request, "host") + "\" from " +
                             request.client);
        r = errorResponse(421, "Host: not an address of this wall; open the page by the wall's "
                               "IP address or add the name to admin.hostnames");
    } else if (const std::size_t limit = bodyLimit(request.method, request.path);
               request.bodyTooLarge || request.body.size() > limit) {
        r = errorResponse(413, limit > kMaxBody ? "The photo is too large: at most " +
                                                      std::to_string(limit / (1024 * 1024)) + " MB."
                                                : "request body: larger than " +
                                                      std::to_string(kMaxBody / 1024) + " KB");
    } else if (VenueApi::handles(request.path)) {
        try {
            r = venue_ ? venue_->handle(request)
                       : errorResponse(404, "Posting from the venue is not open at this event.");
        } catch (const BadRequest& e) {
            r = errorResponse(400, e.what());
        }
    } else if (request.path.rfind("/api/", 0) == 0) {
        try {
            r = api(request);
        } catch (const BadRequest& e) {
            r = errorResponse(400, e.what());
        }
    } else if (request.method == "GET") {
        r = staticFile(request.path);
    } else {
        r = errorResponse(405, request.method + " " + request.path + ": not allowed");
    }
    return r;
}

AdminResponse AdminApi::media(const std::string& key) {
    // A key is the hash the media cache names its files by: nothing else reaches the disk.
    if (key.empty() || key.size() > 64 ||
        !std::all_of(key.begin(), key.end(), [](unsigned char c) { return std::isxdigit(c); })) {
        throw BadRequest("key: expected the hexadecimal key of a cached picture");
    }
    const Reply reply = call_([key](WallControl& c) { return c.mediaFile(key); });
    if (reply.status != 200) {
        return jsonResponse(reply.status, reply.body);
    }
    const auto bytes = readTextFile(reply.body.value("file", ""));
    const auto info = bytes ? readImageHeader(*bytes) : std::nullopt;
    if (!info) {
        return jsonResponse(404, json{{"error", "key: the picture is gone from the cache"}});
    }
    AdminResponse r;
    r.contentType = "image/" + info->format;
    r.body = std::move(*bytes);
    r.headers.emplace_back("Cache-Control", "private, max-age=3600");
    return r;
}

AdminResponse AdminApi::staticFile(const std::string& path) const {
    // A fixed list: nothing else on the disk can be asked for.
    static const std::map<std::string, std::pair<const char*, const char*>> files = {
        {"/", {"index.html", "text/html; charset=utf-8"}},
        {"/index.html", {"index.html", "text/html; charset=utf-8"}},
        {"/admin.js", {"admin.js", "text/javascript; charset=utf-8"}},
        {"/sources.js", {"sources.js", "text/javascript; charset=utf-8"}},
        {"/admin.css", {"admin.css", "text/css; charset=utf-8"}},
        {"/icon.svg", {"icon.svg", "image/svg+xml"}},
        {"/post", {"post.html", "text/html; charset=utf-8"}},
        {"/post.js", {"post.js", "text/javascript; charset=utf-8"}},
    };
    auto it = files.find(path);
    if (it == files.end()) {
        return errorResponse(404, "no such page: " + path);
    }
    AdminResponse r;
    r.body = readTextFile(assetsDir_ + "/" + it->second.first).value_or("");
    if (r.body.empty()) {
        logError("admin", assetsDir_ + "/" + it->second.first + ": cannot read the page file");
        return errorResponse(500, "the control page's files are missing on the wall");
    }
    r.contentType = it->second.second;
    return r;
}

AdminApi::Who AdminApi::authorise(const AdminRequest& request, bool changesState) {
    const UnixTime now = clock_();
    if (auto it = request.headers.find("authorization"); it != request.headers.end()) {
        const std::string prefix = "Bearer ";
        const std::string token =
            it->second.rfind(prefix, 0) == 0 ? it->second.substr(prefix.size()) : "";
        const auto a = auth_.attempt(request.client, token, now);
        if (a.ok) {
            return {true, {}}; // a script with the token; browsers never send it on their own
        }
        AdminResponse r = a.retryAfter > 0
                              ? errorResponse(429, "too many wrong tokens; try again later")
                              : errorResponse(401, "Authorization: wrong token");
        if (a.retryAfter > 0) {
            r.headers.emplace_back("Retry-After", std::to_string(a.retryAfter));
        }
        return {false, r};
    }
    const auto cookie = request.headers.find("cookie");
    const std::string id =
        cookie == request.headers.end() ? "" : cookieValue(cookie->second, kCookie);
    if (id.empty()) {
        return {false, errorResponse(401, "log in first: send the wall's token")};
    }
    auto session = auth_.session(id, now);
    if (!session) {
        return {false, errorResponse(401, "session expired; log in again")};
    }
    if (changesState) {
        auto csrf = request.headers.find("x-csrf-token");
        if (csrf == request.headers.end() || !constantTimeEquals(csrf->second, session->csrf)) {
            return {false, errorResponse(403, "X-CSRF-Token: missing or wrong for this session")};
        }
    }
    return {true, {}};
}

AdminResponse AdminApi::login(const AdminRequest& request) {
    // Another site's page can post a plain-text body to the wall without asking (no CORS
    // preflight) but cannot send a JSON content type; such posts must not count as failed
    // logins, or any page the organiser opens could lock them out.
    const std::string type = lowerCase(header(request, "content-type"));
    if (type.rfind("application/json", 0) != 0) {
        return errorResponse(415, "Content-Type: the login takes application/json");
    }
    if (fromAnotherSite(request)) {
        return errorResponse(403, "Sec-Fetch-Site: a login from another site is refused");
    }
    const json body = parseBody(request);
    const std::string token = requiredString(body, "token", 1000);
    const auto result = auth_.login(request.client, token, clock_());
    if (!result.session) {
        AdminResponse r =
            result.attempt.retryAfter > 0
                ? errorResponse(429, "too many wrong tokens; try again in " +
                                         std::to_string(result.attempt.retryAfter) + " s")
                : errorResponse(401, "token: not the wall's token");
        if (result.attempt.retryAfter > 0) {
            r.headers.emplace_back("Retry-After", std::to_string(result.attempt.retryAfter));
        }
        return r;
    }
    const Session& s = *result.session;
    AdminResponse r =
        jsonResponse(200, json{{"csrf", s.csrf}, {"expires", formatIsoTime(s.expires)}});
    r.headers.emplace_back("Set-Cookie", std::string(kCookie) + "=" + s.id +
                                             "; HttpOnly; SameSite=Strict; Path=/; Max-Age=" +
                                             std::to_string(s.expires - clock_()));
    return r;
}

AdminResponse AdminApi::trySource(const nlohmann::json& body) {
    auto it = body.find("source");
    if (it == body.end() || !it->is_object()) {
        throw BadRequest("source: required, one source object as in the config file");
    }
    if (!trial_) {
        return errorResponse(501, "trying a source is not offered on this wall");
    }
    const json source = *it;
    const Reply checked = call_([source](WallControl& c) { return c.sourceForTrial(source); });
    if (checked.status != 200) {
        return jsonResponse(checked.status, checked.body);
    }
    // Off the command queue: the other buttons keep working while a slow server answers.
    std::unique_lock lock(trying_, std::try_to_lock);
    if (!lock.owns_lock()) {
        return errorResponse(429, "another source is being tried; wait for its answer");
    }
    return jsonResponse(200,
                        trial_(nlohmann::ordered_json::parse(checked.body.at("source").dump())));
}

AdminResponse AdminApi::run(std::function<Reply(WallControl&)> command) {
    Reply reply = call_(std::move(command));
    return jsonResponse(reply.status, reply.body);
}

AdminResponse AdminApi::session(const AdminRequest& request) {
    const auto cookie = request.headers.find("cookie");
    auto s = cookie == request.headers.end()
                 ? std::nullopt
                 : auth_.session(cookieValue(cookie->second, kCookie), clock_());
    json body{{"csrf", s ? s->csrf : ""}};
    if (s) {
        // Whoever came in by the setup card's link never saw the token (see admin.js).
        body["token"] = auth_.token();
    }
    return jsonResponse(200, body);
}

AdminResponse AdminApi::logout(const AdminRequest& request) {
    if (auto cookie = request.headers.find("cookie"); cookie != request.headers.end()) {
        auth_.logout(cookieValue(cookie->second, kCookie));
    }
    AdminResponse r = jsonResponse(200, json{{"logged_out", true}});
    r.headers.emplace_back("Set-Cookie", std::string(kCookie) +
                                             "=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    return r;
}

AdminResponse AdminApi::api(const AdminRequest& request) {
    const std::string& m = request.method;
    const std::string& p = request.path;
    const Route* found = nullptr;
    std::string rest;
    for (const Route& route : routes()) {
        const std::string_view path = route.path;
        const bool below = path.back() == '/' && p.size() > path.size() && p.rfind(path, 0) == 0;
        if (m == route.method && (p == path || below)) {
            found = &route;
            rest = below ? p.substr(path.size()) : "";
            break;
        }
    }
    // An unknown endpoint is refused like a known one to whoever has not logged in.
    if (!found || found->caller == Caller::Organiser) {
        Who who = authorise(request, m != "GET" && m != "HEAD");
        if (!who.ok) {
            return who.refusal;
        }
    }
    if (!found) {
        return errorResponse(404, "no such endpoint: " + m + " " + p);
    }
    return found->handler(*this, request, rest);
}

} // namespace kiosk
