// The attendee page's routes, open to anyone on the venue network without a login:
//   GET  /api/venue            what the page needs (event name, whether posts wait, limits)
//   POST /api/venue/posts      multipart form: name (optional), text, photo (optional)
//   GET  /api/venue/onscreen   the posts on the wall now and lately
//   POST /api/venue/removals   {"id": ...} or {"link": ...}: take that post off the wall
// Everyone here is a stranger: each POST must come from the page itself (a header other sites
// cannot send without asking), is counted per phone, per address and for the whole venue, and
// a photo is checked before it is decoded, decoded one at a time, and re-encoded without its
// metadata. Every refusal is a sentence the attendee can act on.
#pragma once

#include "kiosk/admin/AdminHttp.h"
#include "kiosk/admin/VenueLimits.h"
#include "kiosk/admin/WallControl.h"
#include "kiosk/config/Config.h"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

namespace kiosk {

// Runs a command against the wall's controls on the command queue and returns its answer.
using ControlCall = std::function<Reply(std::function<Reply(WallControl&)>)>;

class VenueApi {
public:
    VenueApi(const VenueConfig& config, ControlCall call, PhotoEncoder encoder,
             std::function<UnixTime()> clock, std::string eventName);

    static bool handles(const std::string& path) { return path.rfind("/api/venue", 0) == 0; }
    // The organiser opened or closed the page (WallControl's venue switches); whether posts
    // wait is the moderator's, and the limits stay as the wall started with them.
    void apply(const VenueConfig& config);
    AdminResponse handle(const AdminRequest& request);
    // The most a request to this path may carry: a phone's photo for the upload, else 0
    // (the page's usual limit applies).
    std::size_t bodyLimit(const std::string& method, const std::string& path) const;

    static constexpr const char* kDeviceCookie = "kiosk_device";
    static constexpr const char* kPageHeader = "x-kiosk-venue"; // sent by the page's script
    static constexpr std::size_t kMaxText = 500;                // characters
    static constexpr std::size_t kMaxName = 60;

private:
    AdminResponse info(const AdminRequest& request);
    AdminResponse submit(const AdminRequest& request);
    AdminResponse removal(const AdminRequest& request);
    // Refuses a POST that did not come from the page on this wall.
    std::optional<AdminResponse> foreign(const AdminRequest& request) const;
    AdminResponse tooMany(UnixTime wait, const char* what) const;

    VenueConfig config_;     // limits, as the wall started
    std::atomic<bool> open_; // the organiser's switch, read by every request
    ControlCall call_;
    PhotoEncoder encoder_;
    std::function<UnixTime()> clock_;
    std::string eventName_;
    PhotoLimits photoLimits_;
    VenueLimits posts_;
    VenueLimits removals_;
    std::mutex decoding_; // one photo decoded at a time: a Pi has little memory to spare
};

} // namespace kiosk
