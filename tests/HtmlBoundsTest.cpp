// HTML to text under markup chosen to exhaust the parser: depth that ended the wall, gumbo's
// quadratic memory, and ordinary bodies longer than a card can show.
#include "kiosk/base/Log.h"
#include "kiosk/text/Html.h"
#include "kiosk/text/HtmlTree.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kiosk {
namespace {

const std::string kReplacement = "\xEF\xBF\xBD"; // U+FFFD: a character cut in half

std::string repeat(std::string_view piece, std::size_t times) {
    std::string out;
    out.reserve(piece.size() * times);
    for (std::size_t i = 0; i < times; ++i) {
        out += piece;
    }
    return out;
}

// The warnings of the "html" module while `read` runs.
template <class Read> std::vector<std::string> htmlWarnings(Read read) {
    std::vector<std::string> lines;
    setLogSink([&](LogLevel level, std::string_view module, std::string_view message) {
        if (level == LogLevel::Warn && module == "html") {
            lines.emplace_back(message);
        }
    });
    read();
    setLogSink(nullptr);
    return lines;
}

TEST(HtmlBounds, AMegabyteOfNestedTagsIsReadNotACrash) {
    // One call frame per level overflowed the stack at about 90,000 levels.
    const std::string html = "<p>Hello from the harbour tent</p>" + repeat("<b>", 350'000) + "deep";
    HtmlText out;
    const auto warnings = htmlWarnings([&] { out = htmlToText(html); });
    EXPECT_EQ(out.text, "Hello from the harbour tent");
    EXPECT_TRUE(warnings.empty()) << warnings.front();
}

TEST(HtmlBounds, AListNestedThousandsDeepKeepsItsItems) {
    const std::string html = repeat("<ul><li>step", 8'000);
    const HtmlText out = htmlToText(html);
    EXPECT_EQ(out.text.rfind("• step\n• step\n", 0), 0u) << out.text.substr(0, 40);
}

TEST(HtmlBounds, MarkupThatWouldTakeGigabytesIsReadFromItsStart) {
    // Gumbo re-opens every distinct formatting element in each new paragraph: this body, within
    // the byte limit, took 4 GB and 9 s before the arena's budget.
    std::string html = "<p>Opening words</p>";
    for (int i = 0; html.size() < HtmlTree::kMaxHtmlBytes; ++i) {
        html += "<b id=b" + std::to_string(i) + "><p>w" + std::to_string(i) + " ";
    }
    HtmlText out;
    const auto warnings = htmlWarnings([&] { out = htmlToText(html); });
    EXPECT_EQ(out.text.rfind("Opening words\nw0\nw1\n", 0), 0u) << out.text.substr(0, 40);
    EXPECT_NE(out.text.find("\nw20\n"), std::string::npos);
    EXPECT_EQ(out.text.find("\nw1000\n"), std::string::npos) << "the parse was cut short";
    ASSERT_EQ(warnings.size(), 1u);
    EXPECT_NE(warnings[0].find("nests too much to read whole (" + std::to_string(html.size())),
              std::string::npos)
        << warnings[0];
}

TEST(HtmlBounds, ALongArticleIsReadFromItsStartWithoutCuttingACharacter) {
    // A feed's whole article: its start shows on the card, silently.
    std::string html;
    for (int i = 0; html.size() < 3 * HtmlTree::kMaxHtmlBytes; ++i) {
        html += "<h2>Part " + std::to_string(i) + "</h2><p>Grüße aus dem Zelt, " +
                repeat("über Brücken ", 40) + "</p><figure><img src=\"https://blog.example/p" +
                std::to_string(i) + ".jpg\" alt=\"Zelt " + std::to_string(i) + "\"></figure>";
    }
    HtmlText out;
    const auto warnings = htmlWarnings([&] { out = htmlToText(html); });
    EXPECT_TRUE(warnings.empty()) << warnings.front();
    EXPECT_EQ(out.text.rfind("Part 0\nGrüße aus dem Zelt, über Brücken", 0), 0u);
    ASSERT_FALSE(out.images.empty());
    EXPECT_EQ(out.images[0],
              (std::pair<std::string, std::string>{"https://blog.example/p0.jpg", "Zelt 0"}));
    EXPECT_LT(out.text.size(), HtmlTree::kMaxHtmlBytes);
    EXPECT_GT(out.text.size(), HtmlTree::kMaxHtmlBytes / 2);
    EXPECT_EQ(out.text.find(kReplacement), std::string::npos) << "cut inside a character";
}

TEST(HtmlBounds, EveryCutFallsBetweenCharacters) {
    // The limit lands on each byte of a two-, three- and four-byte character in turn.
    for (const std::string character : {"ü", "€", "🎪"}) {
        for (std::size_t shift = 0; shift < character.size(); ++shift) {
            const std::string html =
                std::string(shift + 1, 'a') + repeat(character, HtmlTree::kMaxHtmlBytes / 2);
            const HtmlText out = htmlToText(html);
            EXPECT_EQ(out.text.find(kReplacement), std::string::npos)
                << character << " shifted by " << shift;
            EXPECT_LE(out.text.size(), HtmlTree::kMaxHtmlBytes);
        }
    }
}

} // namespace
} // namespace kiosk
