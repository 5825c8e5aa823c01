// URL helpers the adapters need: host extraction for post ids, percent-encoding of query parts,
// the http(s)-only rule for URLs that come from post content, and config-relative file paths.
#pragma once

#include <string>
#include <string_view>

namespace kiosk {

// "https://mastodon.social:443/x" -> "mastodon.social"; "" when there is no host.
std::string hostOf(std::string_view url);
std::string percentEncode(std::string_view text);
bool isWebUrl(std::string_view url);
// A web URL as is; anything else (javascript:, data:, file:) becomes "".
std::string webUrlOrEmpty(std::string_view url);
// "file:demo/x.json" relative to the config's folder -> "file:///abs/demo/x.json".
std::string resolveFileUrl(std::string_view url, std::string_view baseDir);
// "10.0.0.7", "::1": an IPv4 or IPv6 address written out, not a name to look up.
bool isIpAddress(const std::string& text);
// Whether an IP address is on the public internet: false for loopback, private (10/8,
// 172.16/12, 192.168/16, fc00::/7), carrier NAT (100.64/10), link-local (169.254/16 with the
// cloud metadata address, fe80::/10), multicast, unspecified, and IPv4 inside IPv6
// (::ffff:10.0.0.1) judged as IPv4. Not an address at all: false.
bool isPublicIpAddress(const std::string& text);
// Strips trailing slashes so "https://a/" + "/api" never doubles the slash.
std::string trimTrailingSlash(std::string_view url);

} // namespace kiosk
