// See ControlPage.h.
#include "kiosk/app/ControlPage.h"
#include "kiosk/core/FileText.h"
#include "kiosk/core/Log.h"
#include "kiosk/render/PhotoEncoder.h"

#include <arpa/inet.h>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <unistd.h>

namespace kiosk {

std::string adminAssetsDir() {
    if (const char* env = std::getenv("KIOSK_ADMIN_ASSETS"); env && *env) {
        return env;
    }
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const auto installed = exe.parent_path().parent_path() / "share/kiosk/admin";
        if (std::filesystem::exists(installed / "index.html", ec)) {
            return installed.string();
        }
    }
    return KIOSK_SOURCE_DIR "/assets/admin";
}

namespace {

// The machine's IPv4 addresses other than loopback, or "0.0.0.0" when it has none yet.
std::vector<std::string> lanAddresses() {
    std::vector<std::string> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) == 0) {
        for (ifaddrs* i = list; i; i = i->ifa_next) {
            if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET ||
                (i->ifa_flags & IFF_LOOPBACK)) {
                continue;
            }
            char text[INET_ADDRSTRLEN] = {};
            const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
            if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) {
                out.emplace_back(text);
            }
        }
        ::freeifaddrs(list);
    }
    if (out.empty()) {
        out.emplace_back("0.0.0.0");
    }
    return out;
}

// Where a phone or the organiser reaches a listener: its own address, or on 0.0.0.0 the board's
// addresses (not the wildcard).
std::vector<std::string> reachableHosts(const std::string& listen) {
    if (listen == "0.0.0.0" || listen == "::") {
        return lanAddresses();
    }
    return {listen};
}

std::string schemeFor(const AdminConfig& admin) {
    return admin.tlsCert.empty() ? "http://" : "https://";
}

std::string tokenFor(const AdminConfig& admin) {
    if (!admin.token.empty()) {
        return admin.token;
    }
    // Loopback only (the config refuses anything else without a token): a token for this run.
    const std::string token = randomToken();
    logWarn("admin", "no admin.token set; the control page's token for this run is " + token);
    return token;
}

} // namespace

ControlPage::ControlPage(const Config& config, ControlDeps deps)
    : settings_(config.admin), venueEnabled_(config.venue.enabled), clock_(deps.clock),
      trySource_(deps.trySource),
      control_(config,
               [this](ControlDeps d) {
                   // The organiser's switches open and close the attendee page at once.
                   d.venueChanged = [this](const VenueConfig& v) { venue_.apply(v); };
                   return d;
               }(std::move(deps))),
      auth_(config.admin.enabled ? tokenFor(config.admin) : "",
            UnixTime(config.admin.sessionHours) * 3600),
      api_(
          auth_, [this](std::function<Reply(WallControl&)> command) { return call(command); },
          adminAssetsDir(), clock_),
      venue_(
          config.venue,
          [this](std::function<Reply(WallControl&)> command) { return call(command); },
          reencodePhoto, clock_, config.event.name),
      server_(api_) {
    api_.setVenue(&venue_);
    api_.setSourceTrial(trySource_);
}

Reply ControlPage::call(std::function<Reply(WallControl&)> command) {
    auto reply =
        queue_.call<Reply>([this, command] { return command(control_); }, std::chrono::seconds(15));
    return reply ? *reply : failure(503, "the wall is busy; try again");
}

void ControlPage::post(std::function<void(WallControl&)> command) {
    queue_.post([this, command = std::move(command)] { command(control_); });
}

ControlPage::~ControlPage() {
    server_.stop(); // no request may reach the queue after this
}

std::string attendeePageUrl(const AdminConfig& admin, int port) {
    // The first LAN address: the one a phone on the venue network reaches the board by.
    const std::string host = reachableHosts(admin.listen).front();
    const std::string bracketed = host.find(':') == std::string::npos ? host : "[" + host + "]";
    return schemeFor(admin) + bracketed + ":" + std::to_string(port) + "/post";
}

void showAttendeePageInQr(Config& config, int port) {
    pointQrAtAttendeePage(config, attendeePageUrl(config.admin, port));
}

bool ControlPage::start() {
    AdminServerOptions options;
    options.address = settings_.listen;
    options.port = settings_.port;
    options.hasToken = !settings_.token.empty();
    if (!settings_.tlsCert.empty()) {
        options.tlsCertPem = readTextFile(settings_.tlsCert).value_or("");
        options.tlsKeyPem = readTextFile(settings_.tlsKey).value_or("");
        if (options.tlsCertPem.empty() || options.tlsKeyPem.empty()) {
            logError("admin", "admin.tls_cert, admin.tls_key: cannot read " + settings_.tlsCert +
                                  " or " + settings_.tlsKey + "; the control page stays off");
            return false;
        }
    }
    // The names a browser on the LAN may use for the board: its hostname, with .local for mDNS.
    std::vector<std::string> names = settings_.hostNames;
    if (char host[256] = {}; ::gethostname(host, sizeof host - 1) == 0 && host[0] != '\0') {
        names.push_back(host);
        names.push_back(std::string(host) + ".local");
    }
    api_.setHostNames(names);
    auto port = server_.start(options);
    if (!port) {
        logError("admin", port.error());
        return false;
    }
    port_ = *port;
    for (const auto& host : reachableHosts(settings_.listen)) {
        logInfo("admin", "control page on " + schemeFor(settings_) + host + ":" +
                             std::to_string(*port) + "/");
    }
    // Known even while the page is closed: the organiser may open it from the control page.
    attendeeUrl_ = attendeePageUrl(settings_, *port);
    if (venueEnabled_) {
        logInfo("venue", "attendee page on " + *attendeeUrl_);
        if (isLoopbackAddress(settings_.listen)) {
            logWarn("venue", "admin.listen is " + settings_.listen +
                                 ": phones on the venue network cannot reach the attendee page; "
                                 "listen on the board's LAN address or 0.0.0.0");
        }
    }
    post([url = *attendeeUrl_](WallControl& c) { c.setAttendeeUrl(url); });
    return true;
}

} // namespace kiosk
