// The control page's HTTP surface as a pure function from request to response: static page
// files, login and sessions, and the JSON API (documented in the README, "Control page").
// It checks who is asking and what they sent (400 naming the field, 413 over the size limit),
// then hands the work to WallControl through `call`, which runs it on the command queue.
// AdminServer only moves bytes between libmicrohttpd and this.
#pragma once

#include "kiosk/admin/AdminAuth.h"
#include "kiosk/admin/WallControl.h"

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace kiosk {

struct AdminRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    bool bodyTooLarge = false; // the listener stopped reading a body over kMaxBody
    std::string client;        // remote address, for counting failed logins
};

struct AdminResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// Runs a command against the wall's controls on the command queue and returns its answer.
using ControlCall = std::function<Reply(std::function<Reply(WallControl&)>)>;

class AdminApi {
public:
    AdminApi(AdminAuth& auth, ControlCall call, std::string assetsDir,
             std::function<UnixTime()> clock);

    AdminResponse handle(const AdminRequest& request);

    // Names the wall answers to besides IP addresses and localhost (its hostname, hostname.local,
    // admin.hostnames): a request for any other Host is refused.
    void setHostNames(std::vector<std::string> names);
    // Whether this client address has shown the token lately (see AdminAuth::trusted).
    bool trustedClient(const std::string& client);

    static constexpr std::size_t kMaxBody = 64 * 1024;
    static constexpr const char* kCookie = "kiosk_session";

private:
    struct Who {
        bool ok = false;
        AdminResponse refusal;
    };
    Who authorise(const AdminRequest& request, bool changesState);
    AdminResponse login(const AdminRequest& request);
    AdminResponse staticFile(const std::string& path) const;
    AdminResponse media(const std::string& key);
    bool hostAllowed(const AdminRequest& request) const;
    AdminResponse api(const AdminRequest& request);

    AdminAuth& auth_;
    ControlCall call_;
    std::string assetsDir_;
    std::function<UnixTime()> clock_;
    std::vector<std::string> hostNames_;
};

// The value of one cookie in a Cookie header, or "".
std::string cookieValue(const std::string& header, const std::string& name);

} // namespace kiosk
