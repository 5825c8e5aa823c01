// The "display" section: theme and colours, layout, timing, fonts. Split from Config.cpp
// because it is the longest section and the one organisers tune most.
#include "kiosk/base/ConfigReader.h"
#include "kiosk/config/Config.h"

#include <charconv>

namespace kiosk {
namespace {

std::optional<Color> parseHexColor(const std::string& text) {
    if (text.size() != 7 || text[0] != '#') {
        return std::nullopt;
    }
    unsigned value = 0;
    auto r = std::from_chars(text.data() + 1, text.data() + 7, value, 16);
    if (r.ec != std::errc() || r.ptr != text.data() + 7) {
        return std::nullopt;
    }
    return Color{std::uint8_t(value >> 16), std::uint8_t(value >> 8), std::uint8_t(value), 255};
}

void readColors(ObjectReader& parent, Theme& theme) {
    const auto* colors = parent.object("colors");
    if (!colors) {
        return;
    }
    ObjectReader r(*colors, parent.pathOf("colors"), *parent.errors());
    const std::pair<const char*, Color*> fields[] = {{"background", &theme.background},
                                                     {"header", &theme.header},
                                                     {"card", &theme.card},
                                                     {"text", &theme.text},
                                                     {"muted", &theme.muted},
                                                     {"accent", &theme.accent},
                                                     {"warning", &theme.warning}};
    for (const auto& [name, slot] : fields) {
        const std::string value = r.string(name, "");
        if (value.empty()) {
            continue;
        }
        if (auto c = parseHexColor(value)) {
            *slot = *c;
        } else {
            r.error(name, "expected a colour like \"#1a2333\", got \"" + value + "\"");
        }
    }
    r.finish();
    if (contrastRatio(theme.text, theme.card) < 4.5) {
        parent.error("colors",
                     "text on cards would be hard to read (contrast " +
                         std::to_string(contrastRatio(theme.text, theme.card)).substr(0, 4) +
                         ":1; at least 4.5:1, better 7:1)");
    }
}

} // namespace

void readDisplayConfig(ObjectReader& r, DisplayConfig& d) {
    const std::string theme = r.string("theme", "dark");
    if (auto t = themeNamed(theme)) {
        d.theme = *t;
    } else {
        r.error("theme",
                "expected \"dark\", \"light\" or \"high-contrast\", got \"" + theme + "\"");
    }
    readColors(r, d.theme);
    const std::string layout = r.string("layout", "spotlight");
    if (layout == "spotlight") {
        d.screen.kind = LayoutKind::Spotlight;
    } else if (layout == "grid") {
        d.screen.kind = LayoutKind::Grid;
    } else if (layout == "rail") {
        d.screen.kind = LayoutKind::Rail;
    } else {
        r.error("layout", "expected \"spotlight\", \"grid\" or \"rail\", got \"" + layout + "\"");
    }
    d.screen.gridCards = int(r.integer("grid_cards", 4, 2, 6));
    d.screen.railCards = int(r.integer("rail_cards", 3, 1, 5));
    d.screen.overscan = double(r.integer("overscan_percent", 0, 0, 10)) / 100.0;
    const std::string transition = r.string("transition", "fade");
    if (transition != "fade" && transition != "slide" && transition != "none") {
        r.error("transition",
                "expected \"fade\", \"slide\" or \"none\", got \"" + transition + "\"");
    }
    d.slide = transition == "slide";
    d.transitionMs = int(r.integer("transition_ms", 800, 0, 5000));
    if (transition == "none") {
        d.transitionMs = 0; // a clean cut: for dark rooms and motion-sensitive audiences
    }
    d.pace.wordsPerMinute = double(r.integer("words_per_minute", 180, 60, 600));
    d.pace.minSeconds = double(r.integer("min_card_seconds", 8, 3, 600));
    d.pace.maxSeconds = double(r.integer("max_card_seconds", 20, 3, 600));
    if (d.pace.maxSeconds < d.pace.minSeconds) {
        r.error("max_card_seconds", "must not be less than min_card_seconds");
    }
    // A fixed time per card, for organisers who want a steady beat.
    if (const auto fixed = r.integer("card_seconds", 0, 3, 600); fixed > 0) {
        d.pace.minSeconds = d.pace.maxSeconds = double(fixed);
    }
    d.card.showAltText = r.boolean("show_alt_text", false);
    d.card.revealWarned = r.boolean("reveal_content_warnings", false);
    d.clock = r.boolean("clock", true);
    d.logo = r.string("logo", "");
    d.fonts = r.stringList("fonts");
    d.maxPosts = int(r.integer("max_posts", 500, 1, 100000));
}

} // namespace kiosk
