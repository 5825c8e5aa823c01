// The header and footer facts the wall and `kiosk shot` draw from a config and the sources'
// health: when the wall counts as offline, and what the footer says then.
#include "kiosk/app/ControlPage.h"
#include "kiosk/app/WallSetup.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

Config harbourCamp() {
    Config config;
    config.event.name = "Harbour Camp";
    config.event.hashtags = {"HarbourCamp"};
    config.event.url = "https://harbour.example/wall";
    return config;
}

SourceHealth tried(bool ok) {
    SourceHealth h;
    h.label = ok ? "mastodon #HarbourCamp" : "wordpress blog.harbour.example";
    h.ok = ok;
    h.lastAttempt = 1784000000;
    return h;
}

TEST(WallInfo, OfflineOnlyWhenEverySourceWasTriedAndFailed) {
    const Config config = harbourCamp();
    EXPECT_FALSE(wallInfo(config, {}, 0).offline) << "no sources: nothing to be offline from";
    SourceHealth untried = tried(false);
    untried.lastAttempt = 0;
    EXPECT_FALSE(wallInfo(config, {tried(false), untried}, 0).offline);
    EXPECT_FALSE(wallInfo(config, {tried(false), tried(true)}, 0).offline);
    const WallInfo down = wallInfo(config, {tried(false), tried(false)}, 0);
    EXPECT_TRUE(down.offline);
    EXPECT_FALSE(down.qrWorksOffline) << "the event's web page needs the internet";
    EXPECT_EQ(down.callToAction, "Post with #HarbourCamp");
}

TEST(WallInfo, TheAttendeePagesQrStaysWhenTheInternetGoes) {
    Config config = harbourCamp();
    config.admin.listen = "192.168.7.20";
    config.admin.port = 8080;
    config.venue.enabled = true;
    config.venue.qr = true;
    showAttendeePageInQr(config, 8080);
    EXPECT_EQ(config.event.url, "http://192.168.7.20:8080/post");
    const WallInfo up = wallInfo(config, {tried(true)}, 0);
    EXPECT_EQ(up.qrUrl, "http://192.168.7.20:8080/post");
    EXPECT_EQ(up.callToAction, "Scan to post here, or use #HarbourCamp");
    const WallInfo down = wallInfo(config, {tried(false)}, 0);
    EXPECT_TRUE(down.offline);
    EXPECT_TRUE(down.qrWorksOffline);
    EXPECT_EQ(down.qrUrl, "http://192.168.7.20:8080/post");
    EXPECT_EQ(down.callToAction, "Offline: scan to post here") << "hashtags do not arrive now";
}

TEST(WallInfo, TheAttendeePageAddressFollowsTheListener) {
    AdminConfig admin;
    admin.listen = "10.1.2.3";
    EXPECT_EQ(attendeePageUrl(admin, 8443), "http://10.1.2.3:8443/post");
    admin.tlsCert = "wall-cert.pem";
    EXPECT_EQ(attendeePageUrl(admin, 8443), "https://10.1.2.3:8443/post");
    admin.listen = "fd12::7";
    EXPECT_EQ(attendeePageUrl(admin, 8443), "https://[fd12::7]:8443/post");
    Config off = harbourCamp();
    off.venue.enabled = true; // qr stays off: the footer keeps the event's address
    showAttendeePageInQr(off, 8080);
    EXPECT_EQ(off.event.url, "https://harbour.example/wall");
    Config closed = harbourCamp();
    closed.venue.enabled = true;
    closed.venue.qr = true;
    closed.admin.enabled = false; // no listener, no page to point at
    showAttendeePageInQr(closed, 8080);
    EXPECT_EQ(closed.event.url, "https://harbour.example/wall");
}

} // namespace
} // namespace kiosk
