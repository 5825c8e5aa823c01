// See ControlPage.h.
#include "kiosk/app/ControlPage.h"
#include "kiosk/app/LanAddress.h"
#include "kiosk/base/FileText.h"
#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"
#include "kiosk/base/UserDirs.h"
#include "kiosk/render/PhotoEncoder.h"

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
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
    : settings_(config.admin), venueSettings_(config.venue), clock_(deps.clock),
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

namespace {

// The page's address as a phone reaches it, up to the path ("http://192.168.7.20:8080").
std::string pageOrigin(const AdminConfig& admin, int port) {
    const std::string host = reachableHosts(admin.listen).front();
    const std::string bracketed = host.find(':') == std::string::npos ? host : "[" + host + "]";
    return schemeFor(admin) + bracketed + ":" + std::to_string(port);
}

} // namespace

std::string attendeePageUrl(const AdminConfig& admin, const VenueConfig& venue, int port) {
    return venue.url.empty() ? pageOrigin(admin, port) + "/post" : venue.url;
}

std::vector<std::string> pageHostNames(const AdminConfig& admin, const VenueConfig& venue,
                                       const std::string& machineName) {
    std::vector<std::string> names = admin.hostNames;
    if (const std::string named = hostOf(venue.url); !named.empty() && !isIpAddress(named)) {
        names.push_back(named); // the QR code sends every phone there
    }
    if (!machineName.empty()) {
        names.push_back(machineName);
        names.push_back(machineName + ".local"); // mDNS
    }
    return names;
}

void showAttendeePageInQr(Config& config, int port) {
    pointQrAtAttendeePage(config, attendeePageUrl(config.admin, config.venue, port));
}

bool ControlPage::start() {
    AdminServerOptions options;
    options.address = settings_.listen;
    options.port = settings_.port;
    options.hasToken = !settings_.token.empty();
    // Beside the media cache, on the board's disk: /tmp may be memory (tmpfs).
    options.spoolDir = userDir(UserDir::Cache) + "/uploads";
    if (!settings_.tlsCert.empty()) {
        options.tlsCertPem = readTextFile(settings_.tlsCert).value_or("");
        options.tlsKeyPem = readTextFile(settings_.tlsKey).value_or("");
        if (options.tlsCertPem.empty() || options.tlsKeyPem.empty()) {
            logError("admin", "admin.tls_cert, admin.tls_key: cannot read " + settings_.tlsCert +
                                  " or " + settings_.tlsKey + "; the control page stays off");
            return false;
        }
    }
    char machine[256] = {};
    if (::gethostname(machine, sizeof machine - 1) != 0) {
        machine[0] = '\0';
    }
    api_.setHostNames(pageHostNames(settings_, venueSettings_, machine));
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
    attendeeUrl_ = attendeePageUrl(settings_, venueSettings_, *port);
    if (venueSettings_.enabled) {
        logInfo("venue", "attendee page on " + *attendeeUrl_);
        if (isLoopbackAddress(settings_.listen)) {
            logWarn("venue", "admin.listen is " + settings_.listen +
                                 ": phones on the venue network cannot reach the attendee page; "
                                 "listen on the board's LAN address or 0.0.0.0");
        }
    }
    post([url = *attendeeUrl_](WallControl& c) { c.setAttendeeUrl(url); });
    offerSetupLink(*port);
    return true;
}

std::string ControlPage::setupUrl() const {
    std::lock_guard lock(setupMutex_);
    return setupUrl_;
}

// A board nobody has logged in to (no marker in the state folder) shows a one-time link to the
// page on the wall, so a new board is set up from a phone, without a keyboard or the token. Any
// first login spends it; deleting the marker (scripts/boot-config does, when asked from the
// boot partition) brings a new one at the next start.
void ControlPage::offerSetupLink(int port) {
    const std::string marker = userDir(UserDir::State) + "/organiser-logged-in";
    std::error_code error;
    if (!settings_.setupLink || !settings_.enabled || isLoopbackAddress(settings_.listen) ||
        std::filesystem::exists(marker, error)) {
        return;
    }
    const std::string code = randomToken();
    const std::string origin = pageOrigin(settings_, port);
    const std::string url = origin + "/#setup=" + code;
    {
        std::lock_guard lock(setupMutex_);
        setupUrl_ = url;
    }
    auth_.onFirstLogin([this, marker] {
        std::error_code made;
        std::filesystem::create_directories(std::filesystem::path(marker).parent_path(), made);
        std::ofstream out(marker);
        out << "the organiser has logged in; delete this file to show a new setup link\n";
        if (!out.flush()) {
            logWarn("admin", "cannot write " + marker + ": the setup link comes back at restart");
        }
        {
            std::lock_guard lock(setupMutex_);
            setupUrl_.clear();
        }
        post([](WallControl& c) { c.setSetupUrl(""); });
        logInfo("admin", "the organiser has logged in; the setup card is gone");
    });
    auth_.offerSetupCode(code);
    post([url](WallControl& c) { c.setSetupUrl(url); });
    logInfo("admin",
            "nobody has logged in yet: the wall shows a one-time setup link to " + origin + "/");
}

} // namespace kiosk
