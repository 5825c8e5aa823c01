// The header and footer facts the wall and `kiosk shot` draw from a config and the sources'
// health: when the wall counts as offline, and what the footer says then.
#include "kiosk/app/ControlPage.h"
#include "kiosk/app/LanAddress.h"
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
    EXPECT_FALSE(wallInfo(frameInputs(config), {}, 0).offline)
        << "no sources: nothing to be offline from";
    SourceHealth untried = tried(false);
    untried.lastAttempt = 0;
    EXPECT_FALSE(wallInfo(frameInputs(config), {tried(false), untried}, 0).offline);
    EXPECT_FALSE(wallInfo(frameInputs(config), {tried(false), tried(true)}, 0).offline);
    const WallInfo down = wallInfo(frameInputs(config), {tried(false), tried(false)}, 0);
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
    const WallInfo up = wallInfo(frameInputs(config), {tried(true)}, 0);
    EXPECT_EQ(up.qrUrl, "http://192.168.7.20:8080/post");
    EXPECT_EQ(up.callToAction, "Scan to post here, or use #HarbourCamp");
    const WallInfo down = wallInfo(frameInputs(config), {tried(false)}, 0);
    EXPECT_TRUE(down.offline);
    EXPECT_TRUE(down.qrWorksOffline);
    EXPECT_EQ(down.qrUrl, "http://192.168.7.20:8080/post");
    EXPECT_EQ(down.callToAction, "Offline: scan to post here") << "hashtags do not arrive now";
}

TEST(WallInfo, TheAttendeePageAddressFollowsTheListener) {
    AdminConfig admin;
    VenueConfig venue;
    admin.listen = "10.1.2.3";
    EXPECT_EQ(attendeePageUrl(admin, venue, 8443), "http://10.1.2.3:8443/post");
    admin.tlsCert = "wall-cert.pem";
    EXPECT_EQ(attendeePageUrl(admin, venue, 8443), "https://10.1.2.3:8443/post");
    admin.listen = "fd12::7";
    EXPECT_EQ(attendeePageUrl(admin, venue, 8443), "https://[fd12::7]:8443/post");
    venue.url = "https://wall.harbour.lan:8443/post"; // the venue's DNS names the board
    EXPECT_EQ(attendeePageUrl(admin, venue, 8443), "https://wall.harbour.lan:8443/post");
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

TEST(WallInfo, TheOrganisersAddressForThePageGoesInTheQr) {
    Config config = harbourCamp();
    config.admin.listen = "0.0.0.0";
    config.venue.enabled = true;
    config.venue.qr = true;
    config.venue.url = "http://wall.harbour.lan:8080/post";
    showAttendeePageInQr(config, 8080);
    EXPECT_EQ(config.event.url, "http://wall.harbour.lan:8080/post");
    EXPECT_EQ(wallInfo(frameInputs(config), {tried(true)}, 0).qrUrl,
              "http://wall.harbour.lan:8080/post");
    // The page answers to that name, which the Host check would otherwise refuse.
    config.admin.hostNames = {"control.harbour.lan"};
    EXPECT_EQ(pageHostNames(config.admin, config.venue, "harbourpi"),
              (std::vector<std::string>{"control.harbour.lan", "wall.harbour.lan", "harbourpi",
                                        "harbourpi.local"}));
    config.venue.url = "http://192.168.7.20:8080/post"; // an address needs no name
    EXPECT_EQ(pageHostNames(config.admin, config.venue, "").size(), 1U);
}

// /proc/net/route as a Raspberry Pi with the venue Wi-Fi, a wired network and Docker shows it.
const char* const kRoutes =
    "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n"
    "eth0\t00000000\t0100A8C0\t0003\t0\t0\t202\t00000000\t0\t0\t0\n"
    "wlan0\t00000000\t0107A8C0\t0003\t0\t0\t303\t00000000\t0\t0\t0\n"
    "wlan0\t0007A8C0\t00000000\t0001\t0\t0\t303\t00FFFFFF\t0\t0\t0\n"
    "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0\n";

TEST(LanAddress, TheDefaultRouteWithTheLowestMetricWins) {
    EXPECT_EQ(defaultRouteInterface(kRoutes), "eth0");
    std::string wifiOnly = kRoutes;
    wifiOnly.erase(wifiOnly.find("eth0"), wifiOnly.find("wlan0") - wifiOnly.find("eth0"));
    EXPECT_EQ(defaultRouteInterface(wifiOnly), "wlan0");
    std::string down = wifiOnly; // a route whose flags lack RTF_UP is not used
    down.replace(down.find("0003"), 4, "0002");
    EXPECT_EQ(defaultRouteInterface(down), "");
    EXPECT_EQ(defaultRouteInterface(""), "");
    EXPECT_EQ(defaultRouteInterface("not a route table\nat all"), "");
}

TEST(LanAddress, PhonesGetTheVenueNetworkNotABridgeOrATunnel) {
    // getifaddrs lists Docker's bridge first on many boards: the old code put it in the QR code.
    const std::vector<InterfaceAddress> board = {{"docker0", "172.17.0.1"},
                                                 {"wg0", "10.66.0.2"},
                                                 {"eth1", "169.254.12.7"},
                                                 {"wlan0", "192.168.7.20"},
                                                 {"eth0", "192.168.0.31"}};
    EXPECT_EQ(addressesForPhones(board, "wlan0"),
              (std::vector<std::string>{"192.168.7.20", "192.168.0.31", "169.254.12.7",
                                        "172.17.0.1", "10.66.0.2"}));
    EXPECT_EQ(addressesForPhones(board, "").front(), "192.168.7.20")
        << "without a default route (no internet at the venue) a network card still comes first";
    EXPECT_EQ(addressesForPhones({{"br-4f2a", "172.18.0.1"}}, "").front(), "172.18.0.1")
        << "the only address is still an address";
    EXPECT_TRUE(addressesForPhones({}, "wlan0").empty());
}

// The logo's shape comes from its file's header: read when the config changes, never per frame
// (a fade is sixty frames a second, on an SD card). frameAt has no way to reach a file.
TEST(WallInfo, TheLogoIsProbedOncePerConfigNotPerFrame) {
    Config config = harbourCamp();
    config.path = "/etc/kiosk/kiosk.json";
    config.display.logo = "harbour-logo.png";
    config.display.screen.kind = LayoutKind::Rail;
    config.display.screen.railCards = 2;
    int opened = 0;
    const FrameInputs inputs = frameInputs(config, [&opened](const std::string& path) {
        ++opened;
        EXPECT_EQ(path, "/etc/kiosk/harbour-logo.png") << "relative to the config file";
        return Result<ImageInfo>(ImageInfo{"png", 400, 100});
    });
    EXPECT_EQ(opened, 1);
    CardCycle cycle = makeCycle(config);
    std::vector<Post> posts(3);
    for (std::size_t i = 0; i < posts.size(); ++i) {
        posts[i].id = "mastodon:harbour.example:" + std::to_string(i);
        posts[i].text = "Ferry leaves at " + std::to_string(10 + i);
    }
    cycle.update(posts, 0, 1784000000);
    for (int frame = 0; frame < 120; ++frame) {
        const double t = frame / 60.0;
        const WallFrame f = frameAt(inputs, cycle, posts, {tried(true)}, t, 1784000000 + frame);
        ASSERT_EQ(f.info.logo, "/etc/kiosk/harbour-logo.png");
        ASSERT_DOUBLE_EQ(f.info.logoAspect, 4.0);
        ASSERT_EQ(f.upNext.size(), 2u) << "the rail's two cards, from the inputs";
    }
    EXPECT_EQ(opened, 1) << "no frame opened the logo again";
    int broken = 0;
    const FrameInputs without = frameInputs(config, [&broken](const std::string&) {
        ++broken;
        return Result<ImageInfo>(Error{"not a picture"});
    });
    EXPECT_EQ(broken, 1);
    EXPECT_EQ(without.info.logo, "") << "a broken logo is left out, the rest still draws";
}

} // namespace
} // namespace kiosk
