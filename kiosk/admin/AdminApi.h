// The control page's HTTP surface as a pure function from request to response: static page
// files, login and sessions, and the JSON API (documented in docs/API.md).
// It checks who is asking and what they sent (400 naming the field, 413 over the size limit),
// then hands the work to WallControl through `call`, which runs it on the command queue.
// AdminServer only moves bytes between libmicrohttpd and this.
#pragma once

#include "kiosk/admin/AdminAuth.h"
#include "kiosk/admin/AdminHttp.h"
#include "kiosk/admin/VenueApi.h"
#include "kiosk/admin/WallControl.h"

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace kiosk {

class AdminApi {
public:
    AdminApi(AdminAuth& auth, ControlCall call, std::string assetsDir,
             std::function<UnixTime()> clock);

    AdminResponse handle(const AdminRequest& request);
    // handle without its last resort (a 500 for any exception no route expected): the fuzz
    // targets call this, so such an exception is a finding rather than a quiet 500.
    AdminResponse route(const AdminRequest& request);

    // Names the wall answers to besides IP addresses and localhost (its hostname, hostname.local,
    // admin.hostnames): a request for any other Host is refused.
    void setHostNames(std::vector<std::string> names);
    // The attendee page's routes (may stay unset: then /api/venue answers 404).
    void setVenue(VenueApi* venue) { venue_ = venue; }
    // "Try it" for a source from the page's form; unset: the page is told it is not offered.
    void setSourceTrial(std::function<nlohmann::json(const nlohmann::ordered_json&)> trial) {
        trial_ = std::move(trial);
    }
    // The most a request to this path may carry (a photo upload is bigger than the rest).
    std::size_t bodyLimit(const std::string& method, const std::string& path) const;
    // Whether this client address has shown the token lately (see AdminAuth::trusted).
    bool trustedClient(const std::string& client);

    static constexpr std::size_t kMaxBody = 64 * 1024;
    static constexpr const char* kCookie = "kiosk_session";

    // Who may call a route: anyone (the login) or the organiser (a session with its CSRF token
    // for changes, or the token as a Bearer header).
    enum class Caller { Anyone, Organiser };
    // One row of the JSON API (AdminRoutes.cpp). A path ending in '/' covers every path below
    // it; the handler gets the rest of the path.
    struct Route {
        const char* method;
        const char* path;
        Caller caller;
        AdminResponse (*handler)(AdminApi& api, const AdminRequest& request,
                                 const std::string& rest);
    };
    static const std::vector<Route>& routes();
    // Runs a command on the queue and answers with its reply.
    AdminResponse run(std::function<Reply(WallControl&)> command);

private:
    struct Who {
        bool ok = false;
        AdminResponse refusal;
    };
    Who authorise(const AdminRequest& request, bool changesState);
    AdminResponse login(const AdminRequest& request);
    AdminResponse session(const AdminRequest& request);
    AdminResponse logout(const AdminRequest& request);
    AdminResponse staticFile(const std::string& path) const;
    AdminResponse media(const std::string& key);
    bool hostAllowed(const AdminRequest& request) const;
    AdminResponse api(const AdminRequest& request);
    AdminResponse trySource(const nlohmann::json& body);

    AdminAuth& auth_;
    ControlCall call_;
    std::string assetsDir_;
    std::function<UnixTime()> clock_;
    std::vector<std::string> hostNames_;
    VenueApi* venue_ = nullptr;
    std::function<nlohmann::json(const nlohmann::ordered_json&)> trial_;
    std::mutex trying_; // one trial at a time: each may wait on a slow server for 15 s
};

} // namespace kiosk
