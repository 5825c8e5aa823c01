// Layout with a fixed-width measurer: wrapping (Latin, CJK, long URLs), fitting sizes,
// ellipsis, bidi runs, and card placement that never leaves the card at common screen sizes.
#include "kiosk/core/Layout.h"
#include "kiosk/core/TextWrap.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

test::FixedMeasurer measure; // px/2 per code point

std::vector<std::string> texts(const std::vector<WrappedLine>& lines) {
    std::vector<std::string> out;
    for (const auto& l : lines) {
        out.push_back(l.text);
    }
    return out;
}

TEST(Wrap, BreaksAtSpacesAndKeepsParagraphs) {
    // 10 px per code point at px 20; 100 px is 10 characters.
    const auto lines = wrapText("the quick brown fox\njumps", 100, measure, FontRole::Regular, 20);
    EXPECT_EQ(texts(lines), (std::vector<std::string>{"the quick", "brown fox", "jumps"}));
    EXPECT_FALSE(lines[0].paragraphEnd);
    EXPECT_TRUE(lines[1].paragraphEnd);
}

TEST(Wrap, BreaksBetweenJapaneseCharactersButNotBeforeClosingPunctuation) {
    const auto lines = wrapText("会場までの道順がとても分かりやすかったです。", 100, measure,
                                FontRole::Regular, 20);
    ASSERT_GT(lines.size(), 1u);
    for (const auto& l : lines) {
        EXPECT_LE(measure.width(l.text, FontRole::Regular, 20), 100) << l.text;
        EXPECT_NE(l.text.rfind("。", 0), 0u) << "a line starts with a full stop";
    }
}

TEST(Wrap, LongUrlBreaksInsteadOfOverflowing) {
    const std::string url = "https://example.org/a/really/long/path/that/never/ends/index.html";
    const auto lines = wrapText("see " + url, 200, measure, FontRole::Regular, 20);
    std::string joined;
    for (const auto& l : lines) {
        EXPECT_LE(measure.width(l.text, FontRole::Regular, 20), 200) << l.text;
        joined += l.text;
    }
    EXPECT_NE(joined.find("index.html"), std::string::npos); // nothing lost
}

TEST(Wrap, EmojiSequencesAreNeverSplit) {
    const std::string family = "👨‍👩‍👧‍👦";
    const auto lines = wrapText(family + family + family, 10, measure, FontRole::Regular, 20);
    for (const auto& l : lines) {
        EXPECT_EQ(l.text, family);
    }
}

TEST(Wrap, MarksRightToLeftParagraphs) {
    const auto lines = wrapText("hello\nمرحبا بكم\nשלום", 1000, measure, FontRole::Regular, 20);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_FALSE(lines[0].rtl);
    EXPECT_TRUE(lines[1].rtl);
    EXPECT_TRUE(lines[2].rtl);
}

TEST(Fit, PicksTheLargestSizeThatFits) {
    const auto fit = fitText("short", 1000, 1000, measure, FontRole::Regular, 10, 80);
    EXPECT_EQ(fit.px, 80);
    const auto longer =
        fitText(std::string(400, 'x') + " end", 400, 200, measure, FontRole::Regular, 10, 80);
    EXPECT_LT(longer.px, 80);
    EXPECT_GE(longer.px, 10);
    EXPECT_LE(int(longer.lines.size()) * measure.lineHeight(FontRole::Regular, longer.px), 200);
    EXPECT_FALSE(longer.truncated);
}

TEST(Fit, TruncatesWithAnEllipsisWhenNothingFits) {
    std::string text;
    for (int i = 0; i < 200; ++i) {
        text += "word ";
    }
    const auto fit = fitText(text, 200, 100, measure, FontRole::Regular, 20, 40);
    EXPECT_TRUE(fit.truncated);
    EXPECT_EQ(fit.px, 20);
    EXPECT_LE(int(fit.lines.size()) * measure.lineHeight(FontRole::Regular, 20), 100);
    const std::string& last = fit.lines.back().text;
    EXPECT_EQ(last.substr(last.size() - 3), "…");
    EXPECT_LE(measure.width(last, FontRole::Regular, 20), 200);
}

TEST(Ellipsize, CutsOnGraphemesAndKeepsShortText) {
    EXPECT_EQ(ellipsize("short", 100, measure, FontRole::Regular, 20), "short");
    EXPECT_EQ(ellipsize("a long display name", 80, measure, FontRole::Regular, 20), "a long…");
    EXPECT_EQ(ellipsize("a long display name", 100, measure, FontRole::Regular, 20), "a long di…");
}

TEST(Bidi, ArabicWithDigitsInVisualOrder) {
    // "room 3" in Arabic: the digit run stays left-to-right inside the right-to-left line.
    const auto runs = visualRuns("القاعة رقم 3 الآن", true);
    ASSERT_EQ(runs.size(), 3u);
    EXPECT_TRUE(runs[0].rtl);
    EXPECT_EQ(runs[1].text, "3");
    EXPECT_FALSE(runs[1].rtl);
    EXPECT_TRUE(runs[2].rtl);
    EXPECT_EQ(runs[2].text, "القاعة رقم "); // the first logical words end up rightmost
}

TEST(Bidi, EnglishWithAHebrewWord) {
    const auto runs = visualRuns("thanks שלום friends", false);
    ASSERT_EQ(runs.size(), 3u);
    EXPECT_EQ(runs[0].text, "thanks ");
    EXPECT_TRUE(runs[1].rtl);
    EXPECT_EQ(runs[2].text, " friends");
}

TEST(Initials, AnyScript) {
    EXPECT_EQ(initialsOf("Ada Lovelace"), "AL");
    EXPECT_EQ(initialsOf("émile zola"), "ÉZ");
    EXPECT_EQ(initialsOf("佐藤 陽翔"), "佐陽");
    EXPECT_EQ(initialsOf("  "), "?");
    EXPECT_EQ(initialsOf("🎉 party"), "P");
}

Post samplePost(std::string text) {
    Post p;
    p.id = "mastodon:m.example:1";
    p.source = "mastodon";
    p.createdAt = 1781343000;
    p.author = {"Greta Lind", "@greta@m.example", "", ""};
    p.text = std::move(text);
    return p;
}

bool inside(const TextItem& t, const Rect& r) {
    return t.x >= r.x && t.y >= r.y && t.x + t.width <= r.x + r.w && t.y + t.height <= r.y + r.h;
}

class CardLayout : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(CardLayout, EverythingStaysInsideTheCard) {
    const auto [w, h] = GetParam();
    const Theme theme = *themeNamed("dark");
    std::string longText;
    for (int i = 0; i < 60; ++i) {
        longText += "readable words ";
    }
    for (const std::string& text : {std::string("Hi!"), longText}) {
        const Layer layer = layoutCard(samplePost(text), theme, w, h, measure, 1781343300);
        const Rect card = cardMetrics(w, h).card;
        ASSERT_GE(layer.texts.size(), 4u);
        for (const auto& t : layer.texts) {
            EXPECT_TRUE(inside(t, card)) << t.text << " at " << t.x << "," << t.y;
        }
        EXPECT_EQ(layer.texts[2].text, "@greta@m.example  ·  Mastodon  ·  5 min ago");
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, CardLayout,
                         ::testing::Values(std::make_pair(1920, 1080), std::make_pair(1280, 800),
                                           std::make_pair(1024, 768), std::make_pair(3840, 2160)));

TEST(CardLayout, TypicalPostIsBigAtFullHd) {
    const Layer layer = layoutCard(
        samplePost("Doors are open! Coffee on the left, stickers on the right, and the session "
                   "board is waiting for your ideas."),
        *themeNamed("dark"), 1920, 1080, measure, 1781343300);
    const TextItem& body = layer.texts.back();
    EXPECT_GE(body.px, 48);
}

TEST(CardLayout, ContentWarningHidesTheBody) {
    Post p = samplePost("the secret answer");
    p.spoiler = "Quiz spoilers";
    const Layer layer = layoutCard(p, *themeNamed("dark"), 1920, 1080, measure, 1781343300);
    for (const auto& t : layer.texts) {
        EXPECT_EQ(t.text.find("secret"), std::string::npos);
    }
    bool warned = false;
    for (const auto& t : layer.texts) {
        warned |= t.text == "Quiz spoilers";
    }
    EXPECT_TRUE(warned);
}

TEST(Chrome, ShowsEventHashtagsCallToActionAndWaiting) {
    WallInfo info{"VCSS Camp", {"VCSSCamp", "VCSS26"}, "Post with #VCSSCamp", 0, true};
    const Layer layer = layoutChrome(info, *themeNamed("light"), 1280, 800, measure);
    std::vector<std::string> shown;
    for (const auto& t : layer.texts) {
        shown.push_back(t.text);
        EXPECT_LE(t.x + t.width, 1280) << t.text;
        EXPECT_GE(t.x, 0) << t.text;
    }
    EXPECT_EQ(shown,
              (std::vector<std::string>{"VCSS Camp", "#VCSSCamp   #VCSS26", "Post with #VCSSCamp",
                                        "0 posts", "Waiting for the first posts…"}));
}

TEST(Theme, BodyTextContrastIsAtLeastSevenToOne) {
    for (const char* name : {"dark", "light"}) {
        const Theme t = *themeNamed(name);
        EXPECT_GE(contrastRatio(t.text, t.card), 7.0) << name;
        EXPECT_GE(contrastRatio(t.muted, t.card), 4.5) << name;
        EXPECT_GE(contrastRatio(t.accent, t.header), 4.5) << name;
    }
    EXPECT_FALSE(themeNamed("neon"));
    EXPECT_NEAR(contrastRatio({0, 0, 0, 255}, {255, 255, 255, 255}), 21.0, 0.01);
}

} // namespace
} // namespace kiosk
