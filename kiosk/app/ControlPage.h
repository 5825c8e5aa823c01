// The running wall's side of the organiser's control page: the command queue, the controls,
// login and the HTTP listener, wired to the wall's store, database, moderator and fetching.
#pragma once

#include "kiosk/admin/AdminApi.h"
#include "kiosk/admin/AdminServer.h"
#include "kiosk/admin/VenueApi.h"
#include "kiosk/admin/WallControl.h"
#include "kiosk/base/CommandQueue.h"

#include <mutex>
#include <optional>
#include <string>

namespace kiosk {

// Where the page's HTML, CSS and script are: $KIOSK_ADMIN_ASSETS, the installed share folder,
// or the source tree.
std::string adminAssetsDir();

// The attendee page's address as a phone on the venue network reaches it: venue.url when the
// organiser set one, else the listen address, or on every address the board's likeliest
// (kiosk/app/LanAddress.h).
std::string attendeePageUrl(const AdminConfig& admin, const VenueConfig& venue, int port);
// The names besides IP addresses a browser on the LAN may call the board by (any other Host is
// refused against DNS rebinding): admin.hostnames, venue.url's name, the machine's name and that
// name with .local.
std::vector<std::string> pageHostNames(const AdminConfig& admin, const VenueConfig& venue,
                                       const std::string& machineName);
// With venue.qr the footer's QR code and its words point at the attendee page, as the live wall
// does once its page listens (`kiosk shot` has no listener, so it asks here with the config's
// port).
void showAttendeePageInQr(Config& config, int port);

class ControlPage {
public:
    ControlPage(const Config& config, ControlDeps deps);
    ~ControlPage();

    // Starts listening as configured; false (logged) when it cannot. The wall runs on either way.
    bool start();
    // Runs a command on the page's queue, after those before it (a group decision from
    // another screen); does not wait for it.
    void post(std::function<void(WallControl&)> command);
    // The port it listens on once started (the config may ask for any free one: port 0).
    std::optional<int> port() const { return port_; }
    // The attendee page's address on the venue network, once listening (open or not).
    std::optional<std::string> attendeeUrl() const { return attendeeUrl_; }
    // The one-time setup link the wall shows, while nobody has logged in ("" when none).
    std::string setupUrl() const;
    // The routes as the listener serves them, for tests that attack with their own limits.
    AdminApi& api() { return api_; }

private:
    AdminConfig settings_;
    VenueConfig venueSettings_;
    std::function<UnixTime()> clock_; // the wall's: sessions and lockouts run on it
    std::function<nlohmann::json(const nlohmann::ordered_json&)> trySource_;
    WallControl control_; // outlives the queue that runs commands on it
    CommandQueue queue_;
    AdminAuth auth_;
    Reply call(std::function<Reply(WallControl&)> command);
    void offerSetupLink(int port);

    AdminApi api_;
    VenueApi venue_;
    AdminServer server_;
    std::optional<int> port_;
    std::optional<std::string> attendeeUrl_;
    mutable std::mutex setupMutex_;
    std::string setupUrl_; // guarded by setupMutex_
};

} // namespace kiosk
