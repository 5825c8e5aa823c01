// libFuzzer target for laying out a card from a stranger's words: line breaking, size fitting,
// ellipsis, initials, and the bidi runs the renderer draws (with hashtags, mentions and links
// isolated). The input is the author's name, a newline, then the post's text; every post on the
// wall takes this path, so a crash here is a blank wall.
#include "kiosk/layout/CardLayout.h"
#include "kiosk/text/TextWrap.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {

// Bytes rather than code points: wide scripts measure wider, as they do in real fonts.
class ByteMeasurer final : public kiosk::TextMeasurer {
public:
    int width(std::string_view text, kiosk::FontRole, int px) override {
        return int(text.size()) * px / 3;
    }
    int lineHeight(kiosk::FontRole, int px) override { return px * 4 / 3; }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t cut = input.find('\n');
    kiosk::Post post;
    post.id = "mastodon:fuzz.example:1";
    post.source = "mastodon";
    post.author.name = std::string(input.substr(0, cut));
    post.author.handle = "@fuzz@fuzz.example";
    post.text = cut == std::string_view::npos ? "" : std::string(input.substr(cut + 1));
    static const kiosk::Theme theme = *kiosk::themeNamed("dark");
    ByteMeasurer measure;
    // A spotlight card on a 1080p wall and a small grid cell.
    for (const kiosk::Rect slot : {kiosk::Rect{0, 0, 1800, 880}, kiosk::Rect{0, 0, 420, 260}}) {
        const kiosk::Layer layer = kiosk::layoutCard(post, theme, slot, {}, {}, measure, 0);
        for (const kiosk::TextItem& line : layer.texts) {
            (void)kiosk::visualRuns(line.text, line.rtl);
        }
    }
    return 0;
}
