// Which of the board's addresses a phone on the venue network reaches it by. A board often has
// more than one: the venue network, a second network card, a container bridge (Docker's
// 172.17.0.1), a VPN. The QR code gets one, so the likeliest comes first.
#pragma once

#include <string>
#include <vector>

namespace kiosk {

struct InterfaceAddress {
    std::string interface; // "wlan0"
    std::string address;   // "192.168.7.20"
};

// The board's IPv4 addresses other than loopback, as the kernel lists them.
std::vector<InterfaceAddress> interfaceAddresses();

// The interface the default route leaves by (the lowest metric when there are several), read
// from the text of /proc/net/route; "" when there is none or the text is not that table.
std::string defaultRouteInterface(const std::string& procNetRoute);

// Best first: the default route's interface (the network the venue's Wi-Fi shares), then other
// network cards, then link-local addresses, bridges for containers and virtual machines, and
// tunnels (a phone on the venue Wi-Fi reaches none of those).
std::vector<std::string> addressesForPhones(const std::vector<InterfaceAddress>& all,
                                            const std::string& defaultInterface);

// addressesForPhones of this board; "0.0.0.0" alone when it has no address yet.
std::vector<std::string> lanAddresses();

} // namespace kiosk
