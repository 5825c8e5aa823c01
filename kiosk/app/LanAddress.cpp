// See LanAddress.h.
#include "kiosk/app/LanAddress.h"
#include "kiosk/base/FileText.h"

#include <algorithm>
#include <arpa/inet.h>
#include <climits>
#include <cstdlib>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sstream>

namespace kiosk {

std::vector<InterfaceAddress> interfaceAddresses() {
    std::vector<InterfaceAddress> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) {
        return out;
    }
    for (ifaddrs* i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || (i->ifa_flags & IFF_LOOPBACK)) {
            continue;
        }
        char text[INET_ADDRSTRLEN] = {};
        const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
        if (::inet_ntop(AF_INET, &in->sin_addr, text, sizeof text)) {
            out.push_back({i->ifa_name ? i->ifa_name : "", text});
        }
    }
    ::freeifaddrs(list);
    return out;
}

std::string defaultRouteInterface(const std::string& procNetRoute) {
    // Columns: Iface Destination Gateway Flags RefCnt Use Metric Mask ..., numbers in hex.
    std::istringstream lines(procNetRoute);
    std::string line, best;
    long bestMetric = LONG_MAX;
    std::getline(lines, line); // the header
    while (std::getline(lines, line)) {
        std::istringstream fields(line);
        std::string iface, destination, gateway, flags, refCnt, use, mask;
        long metric = 0;
        if (!(fields >> iface >> destination >> gateway >> flags >> refCnt >> use >> metric >>
              mask)) {
            continue;
        }
        const bool up = (std::strtoul(flags.c_str(), nullptr, 16) & 0x1) != 0; // RTF_UP
        if (up && destination == "00000000" && mask == "00000000" && metric < bestMetric) {
            best = iface;
            bestMetric = metric;
        }
    }
    return best;
}

namespace {

// Interfaces a phone on the venue network cannot reach the board through.
bool virtualInterface(const std::string& name) {
    static const char* const kPrefixes[] = {"docker", "br-",       "veth",   "virbr",  "vnet",
                                            "lxc",    "cni",       "tun",    "tap",    "wg",
                                            "zt",     "tailscale", "podman", "flannel"};
    return std::any_of(std::begin(kPrefixes), std::end(kPrefixes),
                       [&](const char* p) { return name.rfind(p, 0) == 0; });
}

int rank(const InterfaceAddress& a, const std::string& defaultInterface) {
    if (!defaultInterface.empty() && a.interface == defaultInterface) {
        return 0;
    }
    if (a.address.rfind("169.254.", 0) == 0) {
        return 2; // no DHCP answer on that card: nothing else is there either
    }
    return virtualInterface(a.interface) ? 3 : 1;
}

} // namespace

std::vector<std::string> addressesForPhones(const std::vector<InterfaceAddress>& all,
                                            const std::string& defaultInterface) {
    std::vector<InterfaceAddress> sorted = all;
    std::stable_sort(sorted.begin(), sorted.end(), [&](const auto& a, const auto& b) {
        return rank(a, defaultInterface) < rank(b, defaultInterface);
    });
    std::vector<std::string> out;
    for (const auto& a : sorted) {
        out.push_back(a.address);
    }
    return out;
}

std::vector<std::string> lanAddresses() {
    auto out = addressesForPhones(
        interfaceAddresses(), defaultRouteInterface(readTextFile("/proc/net/route").value_or("")));
    if (out.empty()) {
        out.emplace_back("0.0.0.0");
    }
    return out;
}

} // namespace kiosk
