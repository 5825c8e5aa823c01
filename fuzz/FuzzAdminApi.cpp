// libFuzzer target for the control page's and the attendee page's router, with requests as
// bytes: a request line ("POST /api/posts/approve?x=1"), header lines, a blank line, the body.
// For the attendee upload the body's NUL-separated "key=value" parts stand in for the form
// fields libmicrohttpd would split. The wall behind it answers every command with success, so
// the checks in front of it (authentication, CSRF, JSON, fields, limits) are what runs.
#include "kiosk/admin/AdminApi.h"
#include "kiosk/admin/VenueApi.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using kiosk::AdminRequest;

AdminRequest requestFrom(std::string_view bytes) {
    AdminRequest r;
    r.client = "10.0.0.9";
    const auto take = [&bytes]() {
        const auto end = bytes.find('\n');
        std::string line(bytes.substr(0, end));
        bytes = end == std::string_view::npos ? std::string_view() : bytes.substr(end + 1);
        return line;
    };
    const std::string first = take();
    const auto space = first.find(' ');
    r.method = first.substr(0, space);
    std::string target = space == std::string::npos ? "/" : first.substr(space + 1);
    if (const auto q = target.find('?'); q != std::string::npos) {
        std::string query = target.substr(q + 1);
        target.resize(q);
        const auto eq = query.find('=');
        r.query[query.substr(0, eq)] = eq == std::string::npos ? "" : query.substr(eq + 1);
    }
    r.path = target;
    for (std::string line = take(); !line.empty() && r.headers.size() < 32; line = take()) {
        const auto colon = line.find(':');
        std::string name = line.substr(0, colon);
        for (auto& c : name) {
            c = char(std::tolower(static_cast<unsigned char>(c)));
        }
        r.headers[name] = colon == std::string::npos ? "" : line.substr(colon + 1);
    }
    r.body = std::string(bytes);
    if (r.path == "/api/venue/posts") {
        std::string_view rest = r.body;
        while (!rest.empty()) {
            const auto end = rest.find('\0');
            const std::string_view part = rest.substr(0, end);
            const auto eq = part.find('=');
            r.form[std::string(part.substr(0, eq))] =
                eq == std::string_view::npos ? "" : std::string(part.substr(eq + 1));
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        }
        r.body.clear();
    }
    return r;
}

kiosk::Reply succeed(std::function<kiosk::Reply(kiosk::WallControl&)>) {
    return {201, nlohmann::json{{"id", "venue:fuzz"}, {"state", "waiting"}, {"file", ""}}};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static kiosk::AdminAuth auth("fuzz-admin-token-2026", 3600);
    static kiosk::VenueConfig venueConfig = [] {
        kiosk::VenueConfig v;
        v.enabled = true;
        v.postsPerDevice = 1000;
        v.postsPerAddress = 1000;
        return v;
    }();
    static kiosk::VenueApi venue(
        venueConfig, succeed,
        [](std::string_view, const kiosk::PhotoLimits&) {
            return kiosk::Result<kiosk::Photo>(kiosk::Photo{"jpeg", 1, 1});
        },
        [] { return kiosk::UnixTime(1784000000); }, "Fuzz Camp");
    static kiosk::AdminApi* api = [] {
        auto* a = new kiosk::AdminApi(auth, succeed, "/nonexistent/fuzz-assets",
                                      [] { return kiosk::UnixTime(1784000000); });
        a->setVenue(&venue);
        return a;
    }();
    (void)api->handle(requestFrom(std::string_view(reinterpret_cast<const char*>(data), size)));
    return 0;
}
