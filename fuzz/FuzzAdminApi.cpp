// libFuzzer target for the control page's and the attendee page's router, with requests as
// bytes: a request line ("POST /api/posts/approve?x=1"), header lines, a blank line, the body.
// For the attendee upload the body's NUL-separated "key=value" parts stand in for the form
// fields libmicrohttpd would split. The wall behind it answers every command with success, so
// the checks in front of it (authentication, CSRF, JSON, fields, limits) are what runs.
#include "kiosk/admin/AdminApi.h"
#include "kiosk/admin/VenueApi.h"

#include "FuzzSupport.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

using kiosk::fuzz::requestFrom;

kiosk::Reply succeed(std::function<kiosk::Reply(kiosk::WallControl&)>) {
    return {201, nlohmann::json{{"id", "venue:fuzz"}, {"state", "waiting"}, {"file", ""}}};
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Fresh for every input: wrong tokens and posts from earlier inputs would otherwise lock
    // later ones out (429), and a finding would not replay on its own.
    kiosk::AdminAuth auth(kiosk::fuzz::kToken, 3600);
    kiosk::VenueConfig venueConfig;
    venueConfig.enabled = true;
    kiosk::VenueApi venue(
        venueConfig, succeed,
        [](std::string_view, const kiosk::PhotoLimits&) {
            return kiosk::Result<kiosk::Photo>(kiosk::Photo{"jpeg", 1, 1});
        },
        [] { return kiosk::fuzz::kNow; }, "Fuzz Camp");
    kiosk::AdminApi api(auth, succeed, "/nonexistent/fuzz-assets",
                        [] { return kiosk::fuzz::kNow; });
    api.setVenue(&venue);
    (void)api.route(requestFrom(std::string_view(reinterpret_cast<const char*>(data), size)));
    return 0;
}
