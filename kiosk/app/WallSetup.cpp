// See WallSetup.h.
#include "kiosk/app/WallSetup.h"

#include <algorithm>
#include <ctime>
#include <filesystem>

namespace kiosk {

CardCycle makeCycle(const Config& config) {
    const ReadingPace pace = config.display.pace;
    CardCycle cycle(cardsPerPage(config.display.screen), config.display.transitionMs / 1000.0,
                    [pace](const std::vector<Post>& page) { return readingSeconds(page, pace); });
    applySchedule(config, cycle);
    return cycle;
}

void applySchedule(const Config& config, CardCycle& cycle) {
    cycle.schedule().setRules(config.schedule);
    cycle.schedule().setPinned({config.pinned.begin(), config.pinned.end()});
    std::map<std::string, AnnouncementWindow> windows;
    for (const auto& a : config.announcements) {
        windows["announcement:" + a.id] = {a.from, a.until};
    }
    cycle.schedule().setAnnouncementWindows(std::move(windows));
}

ViewOptions viewOptions(const DisplayConfig& display) {
    ViewOptions v;
    v.screen = display.screen;
    v.transition = display.slide ? Transition::Slide : Transition::Fade;
    return v;
}

CardStyle cardStyle(const DisplayConfig& display, int maxTexture) {
    CardStyle s;
    s.theme = display.theme;
    s.options = display.card;
    s.limits.maxTexture = maxTexture > 0 ? maxTexture : 2048;
    return s;
}

std::vector<FontFace> fontChain(const DisplayConfig& display) {
    if (display.fonts.empty()) {
        return defaultFontChain();
    }
    std::vector<FontFace> chain;
    for (const auto& file : display.fonts) {
        const bool emoji = file.find("Emoji") != std::string::npos;
        chain.push_back({file, "", emoji});
    }
    return chain;
}

WallFrame frameAt(const FrameInputs& inputs, CardCycle& cycle, const std::vector<Post>& posts,
                  const std::vector<SourceHealth>& health, double t, UnixTime now,
                  const std::vector<Post>* upNext) {
    WallFrame frame;
    frame.page = cycle.page();
    frame.previous = cycle.previousPage();
    frame.progress = cycle.progress(t);
    frame.now = now;
    frame.info = wallInfo(inputs, health, now);
    if (inputs.layout == LayoutKind::Rail) {
        frame.upNext = upNext ? *upNext : cycle.upNext(posts, inputs.railCards);
    }
    return frame;
}

PostSnapshot wallSnapshot(const PostSnapshot& posts, const Moderator& moderator) {
    // Usually every stored post may show (hidden ones leave the store): then the snapshot is
    // shared as it is, and a thousand posts are not copied once more.
    const bool all = std::all_of(posts->begin(), posts->end(),
                                 [&](const Post& p) { return moderator.mayShowNow(p); });
    return all ? posts : std::make_shared<const std::vector<Post>>(wallPosts(*posts, moderator));
}

std::vector<Post> wallPosts(const std::vector<Post>& posts, const Moderator& moderator) {
    std::vector<Post> out;
    out.reserve(posts.size());
    for (const auto& p : posts) {
        if (moderator.mayShowNow(p)) {
            out.push_back(p);
        }
    }
    return out;
}

std::string clockText(UnixTime now) {
    const std::time_t t = std::time_t(now);
    std::tm local{};
    localtime_r(&t, &local);
    char buf[8];
    std::strftime(buf, sizeof buf, "%H:%M", &local);
    return buf;
}

FrameInputs frameInputs(const Config& config, const ImageProbe& probe) {
    FrameInputs in;
    WallInfo& info = in.info;
    info.eventName = config.event.name;
    info.hashtags = config.event.hashtags;
    info.callToAction = callToActionText(config.event);
    info.qrUrl = config.event.url;
    info.setupUrl = config.event.setupUrl;
    info.notice = config.event.notice;
    // The attendee page is served by the wall itself: without internet it is the one way left
    // to post, so its QR code stays and the words say both things.
    info.qrWorksOffline = config.event.qrIsVenuePage;
    in.clock = config.display.clock;
    in.layout = config.display.screen.kind;
    in.railCards = std::size_t(config.display.screen.railCards);
    if (!config.display.logo.empty()) {
        std::filesystem::path logo(config.display.logo);
        if (logo.is_relative()) {
            logo = std::filesystem::path(config.path).parent_path() / logo;
        }
        // The shape comes from the file's header; a missing or broken logo is simply left out.
        const auto shape =
            probe ? probe(logo.string()) : probeImageFile(logo.string(), ImageLimits{});
        if (shape && shape->height > 0) {
            info.logo = logo.string();
            info.logoAspect = double(shape->width) / shape->height;
        }
    }
    return in;
}

WallInfo wallInfo(const FrameInputs& inputs, const std::vector<SourceHealth>& health,
                  UnixTime now) {
    WallInfo info = inputs.info;
    if (inputs.clock) {
        info.clock = clockText(now);
    }
    // Offline only when every source has been tried and every one failed; one working source
    // still makes "post with #tag" worth saying.
    bool anyOk = false, allTried = !health.empty();
    for (const auto& h : health) {
        anyOk = anyOk || h.ok;
        allTried = allTried && h.lastAttempt != 0;
    }
    info.offline = allTried && !anyOk;
    if (info.offline && info.qrWorksOffline) {
        info.callToAction = "Offline: scan to post here";
    }
    return info;
}

} // namespace kiosk
