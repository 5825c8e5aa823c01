// The "group" part of the config: which MQTT broker, which group, which screen this is, and
// the credentials. A broker beyond this machine needs a user name and password: the group's
// topics carry every organiser decision.
#include "kiosk/base/ConfigReader.h"
#include "kiosk/base/FileText.h"
#include "kiosk/config/Config.h"

#include <cstdlib>
#include <filesystem>

namespace kiosk {
namespace {

// Names that go into topics: no MQTT wildcards or level separators, nothing to escape.
bool isTopicName(const std::string& name) {
    if (name.empty() || name.size() > 40) {
        return false;
    }
    for (unsigned char c : name) {
        if (!std::isalnum(c) && c != '-' && c != '_') {
            return false;
        }
    }
    return true;
}

// "mqtt://host", "mqtts://host:8883", "mqtt://[::1]:1883"; false when it is none of these.
bool splitBroker(const std::string& url, GroupConfig& g) {
    std::string rest;
    if (url.rfind("mqtt://", 0) == 0) {
        rest = url.substr(7);
        g.tls = false;
        g.port = 1883;
    } else if (url.rfind("mqtts://", 0) == 0) {
        rest = url.substr(8);
        g.tls = true;
        g.port = 8883;
    } else {
        return false;
    }
    if (!rest.empty() && rest.back() == '/') {
        rest.pop_back();
    }
    std::string portText;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string::npos) {
            return false;
        }
        g.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size()) {
            if (rest[close + 1] != ':') {
                return false;
            }
            portText = rest.substr(close + 2);
        }
    } else {
        const auto colon = rest.find(':');
        g.host = rest.substr(0, colon);
        if (colon != std::string::npos) {
            portText = rest.substr(colon + 1);
        }
    }
    if (g.host.empty() || g.host.find_first_of("/@?# ") != std::string::npos) {
        return false;
    }
    if (!portText.empty()) {
        if (portText.size() > 5 || portText.find_first_not_of("0123456789") != std::string::npos) {
            return false;
        }
        g.port = std::stoi(portText);
        if (g.port < 1 || g.port > 65535) {
            return false;
        }
    }
    return true;
}

} // namespace

void readGroupConfig(ObjectReader& r, GroupConfig& g, const std::string& configDir) {
    g.enabled = true;
    g.broker = r.string("broker", "", true);
    if (!g.broker.empty() && !splitBroker(g.broker, g)) {
        r.error("broker",
                "expected mqtt://HOST[:PORT] or mqtts://HOST[:PORT], got \"" + g.broker + "\"");
    }
    g.name = r.string("name", "", true);
    if (!g.name.empty() && !isTopicName(g.name)) {
        r.error("name", "expected 1 to 40 letters, digits, '-' or '_', got \"" + g.name + "\"");
    }
    g.screen = r.string("screen", "", true);
    if (!g.screen.empty() && !isTopicName(g.screen)) {
        r.error("screen", "expected 1 to 40 letters, digits, '-' or '_', got \"" + g.screen + "\"");
    }
    g.username = r.string("username", "");
    g.password = r.string("password", "");
    if (const char* env = std::getenv("KIOSK_GROUP_PASSWORD"); g.password.empty() && env) {
        g.password = env; // keeps the secret out of a config file others may read
    }
    if (!g.password.empty() && g.username.empty()) {
        r.error("username", "a password needs a user name");
    }
    if (!g.host.empty() && !isLoopbackAddress(g.host) &&
        (g.username.empty() || g.password.empty())) {
        r.error("username", "a broker beyond this machine (" + g.host +
                                ") needs username and password: every organiser decision "
                                "goes through it");
    }
    g.caFile = r.string("ca_file", "");
    if (!g.caFile.empty()) {
        if (std::filesystem::path(g.caFile).is_relative()) {
            g.caFile = (std::filesystem::path(configDir) / g.caFile).string();
        }
        if (!g.tls) {
            r.error("ca_file", "only used with an mqtts:// broker");
        } else if (!readTextFile(g.caFile)) {
            r.error("ca_file", "cannot read " + g.caFile);
        }
    }
    // libmosquitto refuses less than 5 s.
    g.keepaliveSeconds = int(r.integer("keepalive_seconds", g.keepaliveSeconds, 5, 120));
}

} // namespace kiosk
