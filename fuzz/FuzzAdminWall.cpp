// libFuzzer target for the control page's routes with the wall's own controls behind them (where
// fuzz_admin_api's wall says yes to everything): every command a request can reach runs on a
// WallControl over a config file, a database and a store in a temporary folder, as the command
// queue would run it. The input is fuzz_admin_api's request (FuzzSupport.h); with the token or a
// session, the organiser's commands themselves are what runs: hashtags, sources, moderation,
// blocks, announcements, the attendee page's switches, posts approved, hidden and pinned.
// An exception that no route expected is a finding here (route, not handle, which would turn it
// into a 500).
#include "kiosk/admin/AdminApi.h"
#include "kiosk/admin/VenueApi.h"

#include "FuzzSupport.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Fresh for every input: wrong tokens from earlier inputs would lock the rest out.
    kiosk::AdminAuth auth(kiosk::fuzz::kToken, 3600);
    kiosk::fuzz::Screen screen;
    // A few posts to approve, hide and pin, one of them already waiting.
    kiosk::Post post;
    post.id = "mastodon:social.harbour.example:116412000000001";
    post.source = "mastodon";
    post.createdAt = kiosk::fuzz::kNow - 60;
    post.author.name = "Ana";
    post.author.handle = "@ana@social.harbour.example";
    post.text = "Sunrise swim at the harbour #HarbourCamp";
    kiosk::Post shown = post;
    shown.id = "mastodon:social.harbour.example:116412000000002";
    shown.text = "Breakfast queue is short now";
    screen.store.add({post, shown});
    kiosk::fuzz::folder().db->savePosts(
        {{post, kiosk::Verdict::Queue, {}}, {shown, kiosk::Verdict::Show, {}}}, kiosk::fuzz::kNow);
    kiosk::AdminApi api(
        auth,
        [&screen](std::function<kiosk::Reply(kiosk::WallControl&)> c) { return c(screen.control); },
        "/nonexistent/fuzz-assets", [] { return kiosk::fuzz::kNow; });
    // The attendee page too, its photo check standing in for the decoder (fuzz_photo's part).
    kiosk::VenueApi venue(
        screen.config.venue,
        [&screen](std::function<kiosk::Reply(kiosk::WallControl&)> c) { return c(screen.control); },
        [](std::string_view, const kiosk::PhotoLimits&) {
            return kiosk::Result<kiosk::Photo>(kiosk::Photo{"jpeg", 1, 1});
        },
        [] { return kiosk::fuzz::kNow; }, "Harbour Camp");
    api.setVenue(&venue);
    const kiosk::AdminResponse r = api.route(
        kiosk::fuzz::requestFrom(std::string_view(reinterpret_cast<const char*>(data), size)));
    if (std::getenv("KIOSK_FUZZ_VERBOSE")) { // to see what a seed reaches
        std::fprintf(stderr, "%d %.300s\n", r.status, r.body.c_str());
    }
    return 0;
}
