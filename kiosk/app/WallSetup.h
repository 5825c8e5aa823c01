// What the shot command and the live wall build the same way from a config: the card
// timeline, the view options, the fonts, and the chrome's information at a given time.
#pragma once

#include "kiosk/base/ImageHeader.h"
#include "kiosk/config/Config.h"
#include "kiosk/model/CardCycle.h"
#include "kiosk/model/Moderation.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/render/CardPreparer.h"
#include "kiosk/render/WallView.h"
#include "kiosk/sources/SourceHealth.h"

#include <functional>

namespace kiosk {

// The timeline with the configured pacing, schedule rules, pins and announcement windows.
CardCycle makeCycle(const Config& config);
// Pins, announcement windows and schedule rules from config, e.g. after the organiser changed them.
void applySchedule(const Config& config, CardCycle& cycle);
ViewOptions viewOptions(const DisplayConfig& display);
CardStyle cardStyle(const DisplayConfig& display, int maxTexture);
std::vector<FontFace> fontChain(const DisplayConfig& display);
// What a frame needs that changes only with the config: the header and footer's words, the QR
// code, the logo's file and shape. Made once per config version, so no file is opened on the
// frame path (WallInfo.TheLogoIsProbedOncePerConfigNotPerFrame).
struct FrameInputs {
    WallInfo info; // without the clock and the offline state, which change with time
    bool clock = true;
    LayoutKind layout = LayoutKind::Spotlight;
    std::size_t railCards = 0;
};
using ImageProbe = std::function<Result<ImageInfo>(const std::string& path)>;
FrameInputs frameInputs(const Config& config, const ImageProbe& probe = {});
// Header and footer facts at `now`: clock, QR, offline when every source is failing.
WallInfo wallInfo(const FrameInputs& inputs, const std::vector<SourceHealth>& health, UnixTime now);
// Everything one frame draws at time t (seconds since start) and wall-clock now. The rail's
// "up next" changes only with the page; pass it when it is already known.
WallFrame frameAt(const FrameInputs& inputs, CardCycle& cycle, const std::vector<Post>& posts,
                  const std::vector<SourceHealth>& health, double t, UnixTime now,
                  const std::vector<Post>* upNext = nullptr);
// The posts of a snapshot that may be on the wall right now (panic, organiser hides).
std::vector<Post> wallPosts(const std::vector<Post>& posts, const Moderator& moderator);
// The same for the frame loop, sharing the store's snapshot when nothing is held back.
PostSnapshot wallSnapshot(const PostSnapshot& posts, const Moderator& moderator);
// "14:05" in the machine's local time zone.
std::string clockText(UnixTime now);

} // namespace kiosk
