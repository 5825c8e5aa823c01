// The "venue" part of the config: whether attendees may post from the venue network through the
// attendee page, whether those posts wait for the organiser, and how many a phone may send.
#include "kiosk/base/ConfigReader.h"
#include "kiosk/base/Url.h"
#include "kiosk/config/Config.h"

namespace kiosk {

void readVenueConfig(ObjectReader& r, VenueConfig& venue) {
    venue.enabled = r.boolean("enabled", false);
    venue.approveFirst = r.boolean("approve_first", true);
    venue.postsPerDevice = int(r.integer("posts_per_device", venue.postsPerDevice, 1, 100));
    venue.postsPerAddress = int(r.integer("posts_per_address", venue.postsPerAddress, 1, 1000));
    venue.removalsPerDevice =
        int(r.integer("removals_per_device", venue.removalsPerDevice, 1, 100));
    venue.windowMinutes = int(r.integer("window_minutes", venue.windowMinutes, 1, 24 * 60));
    venue.maxPhotoMb = int(r.integer("max_photo_mb", venue.maxPhotoMb, 1, 40));
    venue.qr = r.boolean("qr", false);
    // A name the venue's DNS gives the board, or the one address of several that the venue
    // Wi-Fi reaches; phones must still reach the page itself (the limits count addresses).
    venue.url = r.string("url", "");
    if (!venue.url.empty() && (!isWebUrl(venue.url) || hostOf(venue.url).empty())) {
        r.error("url", "expected the attendee page's web address for the QR code, such as "
                       "\"http://wall.camp.lan:8080/post\"");
    }
}

} // namespace kiosk
