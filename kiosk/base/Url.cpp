// Minimal URL handling: we only ever build URLs from config parts and read hosts; no general
// URL parser is needed for that.
#include "kiosk/base/Url.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace kiosk {

bool isIpAddress(const std::string& text) {
    unsigned char bytes[16];
    return ::inet_pton(AF_INET, text.c_str(), bytes) == 1 ||
           ::inet_pton(AF_INET6, text.c_str(), bytes) == 1;
}

namespace {

bool publicV4(const unsigned char* b) {
    return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || (b[0] == 100 && (b[1] & 0xC0) == 64) ||
             (b[0] == 169 && b[1] == 254) || (b[0] == 172 && (b[1] & 0xF0) == 16) ||
             (b[0] == 192 && b[1] == 168) || b[0] >= 224);
}

} // namespace

bool isPublicIpAddress(const std::string& text) {
    unsigned char b[16] = {};
    if (::inet_pton(AF_INET, text.c_str(), b) == 1) {
        return publicV4(b);
    }
    if (::inet_pton(AF_INET6, text.c_str(), b) != 1) {
        return false;
    }
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::equal(mapped, mapped + 12, b)) {
        return publicV4(b + 12);
    }
    const bool unspecifiedOrLoopback =
        std::all_of(b, b + 15, [](unsigned char c) { return c == 0; }) && b[15] <= 1;
    const bool uniqueLocal = (b[0] & 0xFE) == 0xFC;
    const bool linkLocal = b[0] == 0xFE && (b[1] & 0xC0) == 0x80;
    const bool multicast = b[0] == 0xFF;
    return !(unspecifiedOrLoopback || uniqueLocal || linkLocal || multicast);
}

std::string hostOf(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) {
        return {};
    }
    std::string_view rest = url.substr(scheme + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (const auto at = rest.rfind('@'); at != std::string_view::npos) {
        rest = rest.substr(at + 1);
    }
    if (!rest.empty() && rest.front() == '[') {
        return std::string(rest.substr(0, rest.find(']') + 1));
    }
    return std::string(rest.substr(0, rest.find(':')));
}

std::string percentEncode(std::string_view text) {
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += char(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

bool isWebUrl(std::string_view url) {
    return url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
}

std::string webUrlOrEmpty(std::string_view url) {
    return isWebUrl(url) ? std::string(url) : std::string();
}

std::string resolveFileUrl(std::string_view url, std::string_view baseDir) {
    if (url.rfind("file:", 0) != 0 || url.rfind("file://", 0) == 0) {
        return std::string(url);
    }
    std::filesystem::path path(url.substr(5));
    if (path.is_relative()) {
        path = std::filesystem::path(baseDir) / path;
    }
    return "file://" + std::filesystem::absolute(path).lexically_normal().string();
}

std::string trimTrailingSlash(std::string_view url) {
    while (!url.empty() && url.back() == '/') {
        url.remove_suffix(1);
    }
    return std::string(url);
}

} // namespace kiosk
