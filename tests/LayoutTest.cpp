// Layout with a fixed-width measurer: wrapping (Latin, CJK, long URLs), fitting sizes,
// ellipsis, bidi runs, and card placement that never leaves the card at common screen sizes.
#include "kiosk/layout/Layout.h"
#include "kiosk/layout/CardLayout.h"
#include "kiosk/layout/LayerGeometry.h"
#include "kiosk/sources/SourceRegistry.h"
#include "kiosk/text/TextWrap.h"

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

TEST(Wrap, KoreanBreaksBetweenWordsOnly) {
    // 10 px per character, 6 to a line: ICU alone gives "접근성 테스" and "트 자동화입".
    const std::string text = "다음 세션은 접근성 테스트 자동화입니다";
    const auto lines = wrapText(text, 60, measure, FontRole::Regular, 20);
    EXPECT_EQ(texts(lines),
              (std::vector<std::string>{"다음 세션은", "접근성", "테스트", "자동화입니다"}));
    // A word longer than the line still breaks rather than overflowing.
    const auto narrow = wrapText("자동화입니다", 30, measure, FontRole::Regular, 20);
    EXPECT_EQ(texts(narrow), (std::vector<std::string>{"자동화", "입니다"}));
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

// Counts the bytes the layout asks to have measured: with real fonts each byte is shaped.
class CountingMeasurer final : public TextMeasurer {
public:
    int width(std::string_view text, FontRole role, int px) override {
        measured += text.size();
        return measure.width(text, role, px);
    }
    int lineHeight(FontRole role, int px) override { return measure.lineHeight(role, px); }
    std::size_t measured = 0;
};

// A blog comment with a pasted log runs to tens of KB, and a card shows about a thousand bytes
// of it. Wrapping all of it at every size tried took seconds a card on a Pi (8.9 s for 64 KB in
// the fuzz build); the card's work must not depend on what it cannot show.
TEST(Fit, ALongPostCostsNoMoreThanWhatTheCardShows) {
    std::string text;
    while (text.size() < 60 * 1024) {
        text += "Thanks for the write-up about the harbour stage! Here is what the mixer "
                "printed when the power dipped at 21:40, in case it helps:\n"
                "err=0x7f3a;ch=12;gain=-3dB;clip=true;trace=9f8e7d6c5b4a39281706f5e4d3c2b1a0"
                "9f8e7d6c5b4a39281706f5e4d3c2b1a0\n\n";
    }
    const std::string head = text.substr(0, text.rfind(' ', 8000));
    CountingMeasurer whole, prefix;
    const auto all = fitText(text, 600, 400, whole, FontRole::Regular, 18, 64);
    const auto start = fitText(head, 600, 400, prefix, FontRole::Regular, 18, 64);
    EXPECT_TRUE(all.truncated);
    EXPECT_EQ(all.px, 18);
    EXPECT_EQ(texts(all.lines), texts(start.lines));
    EXPECT_EQ(whole.measured, prefix.measured);
    EXPECT_LE(int(all.lines.size()) * measure.lineHeight(FontRole::Regular, 18), 400);
    // Unlimited wrapping still returns every line of the text.
    EXPECT_GT(wrapText(text, 600, measure, FontRole::Regular, 18).size(), 1000u);
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

TEST(Bidi, AHashtagEndingAnArabicPostKeepsItsHashInFront) {
    // Without isolating the tag, the '#' takes the paragraph's direction: "VCSSCamp#".
    const auto runs = visualRuns("شكرا للجميع #VCSSCamp", true);
    ASSERT_EQ(runs.size(), 2u);
    EXPECT_EQ(runs[0].text, "#VCSSCamp");
    EXPECT_FALSE(runs[0].rtl);
    EXPECT_EQ(runs[1].text, "شكرا للجميع "); // logical order; the renderer shapes it leftwards
    EXPECT_TRUE(runs[1].rtl);
}

TEST(Bidi, MentionsLinksAndArabicTagsAreUnitsAndPunctuationStaysOutside) {
    const auto mention = visualRuns("مرحبا @ada@social.example!", true);
    ASSERT_GE(mention.size(), 2u);
    EXPECT_EQ(mention[0].text, "!");
    EXPECT_EQ(mention[1].text, "@ada@social.example");
    EXPECT_FALSE(mention[1].rtl);

    const auto link = visualRuns("التسجيل https://camp.example/join/", true);
    ASSERT_EQ(link.size(), 2u);
    EXPECT_EQ(link[0].text, "https://camp.example/join/");

    // An Arabic hashtag in an English line reads right to left with its '#' on the right.
    const auto tag = visualRuns("see #مؤتمر today", false);
    ASSERT_EQ(tag.size(), 3u);
    EXPECT_EQ(tag[0].text, "see ");
    EXPECT_TRUE(tag[1].rtl);
    EXPECT_EQ(tag[1].text, "#مؤتمر");
    EXPECT_EQ(tag[2].text, " today");
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

bool inside(const Rect& in, const Rect& r) {
    return in.x >= r.x && in.y >= r.y && in.x + in.w <= r.x + r.w && in.y + in.h <= r.y + r.h;
}

Rect spotlight(int w, int h) {
    return screenLayout({}, w, h).slots.front();
}

CardMedia mediaOf(bool avatar, int w, int h) {
    CardMedia m;
    m.avatar = avatar;
    m.pictureWidth = w;
    m.pictureHeight = h;
    return m;
}

// The names on cards come from the source table, as the config loader fills them in.
CardOptions withSourceNames() {
    CardOptions o;
    o.sourceNames = sourceDisplayNames();
    return o;
}

Layer card(const Post& p, const Rect& slot, CardMedia media = {},
           CardOptions options = withSourceNames()) {
    return layoutCard(p, *themeNamed("dark"), slot, media, options, measure, 1781343300);
}

std::string longText() {
    std::string text;
    for (int i = 0; i < 60; ++i) {
        text += "readable words ";
    }
    return text;
}

class CardLayoutSizes : public ::testing::TestWithParam<std::pair<int, int>> {};

TEST_P(CardLayoutSizes, EverythingStaysInsideTheCardInEveryLayout) {
    const auto [w, h] = GetParam();
    for (LayoutKind kind : {LayoutKind::Spotlight, LayoutKind::Grid, LayoutKind::Rail}) {
        ScreenOptions options;
        options.kind = kind;
        const ScreenLayout screen = screenLayout(options, w, h);
        std::vector<Rect> slots = screen.slots;
        slots.insert(slots.end(), screen.rail.begin(), screen.rail.end());
        for (const Rect& slot : slots) {
            EXPECT_TRUE(inside(slot, {0, screen.header.h, w, screen.footer.y - screen.header.h}));
            for (const std::string& text : {std::string("Hi!"), longText()}) {
                Post p = samplePost(text);
                p.media.push_back({"https://m.example/a.jpg", "a cat", 1600, 1200, "image"});
                for (bool withPicture : {false, true}) {
                    const Layer layer = card(
                        p, slot, mediaOf(true, withPicture ? 1600 : 0, withPicture ? 1200 : 0));
                    ASSERT_GE(layer.texts.size(), 3u);
                    for (const auto& t : layer.texts) {
                        EXPECT_TRUE(inside(t, slot)) << t.text << " at " << t.x << "," << t.y;
                    }
                    for (const auto& i : layer.images) {
                        EXPECT_TRUE(inside(i.rect, slot)) << i.key;
                    }
                    EXPECT_EQ(layer.images.size(), withPicture ? 2u : 1u);
                }
            }
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Sizes, CardLayoutSizes,
                         ::testing::Values(std::make_pair(1920, 1080), std::make_pair(1280, 800),
                                           std::make_pair(1024, 768), std::make_pair(3840, 2160)));

TEST(CardLayout, HeaderRowShowsHandleSourceAndTime) {
    const Layer layer = card(samplePost("Hi!"), spotlight(1920, 1080));
    EXPECT_EQ(layer.texts[0].text, "GL"); // initials on the placeholder disc
    EXPECT_EQ(layer.texts[1].text, "Greta Lind");
    EXPECT_EQ(layer.texts[2].text, "@greta@m.example  ·  Mastodon  ·  5 min ago");
    ASSERT_EQ(layer.boxes.size(), 1u); // the disc
}

TEST(CardLayout, TypicalPostIsBigAtFullHdAndNeverTiny) {
    const Layer layer =
        card(samplePost("Doors are open! Coffee on the left, stickers on the right, and the "
                        "session board is waiting for your ideas."),
             spotlight(1920, 1080));
    EXPECT_GE(layer.texts.back().px, 48);
    const Layer full = card(samplePost(longText() + longText()), spotlight(1920, 1080));
    EXPECT_GE(full.texts.back().px, 32);
}

TEST(CardLayout, PictureBesideTheTextOnAWideCardBelowOnANarrowOne) {
    Post p = samplePost("Look at this board!");
    p.media.push_back({"https://m.example/board.jpg", "The session board", 1600, 1200, "image"});
    const Rect wide = spotlight(1920, 1080);
    const Layer beside = card(p, wide, mediaOf(false, 1600, 1200));
    ASSERT_EQ(beside.images.size(), 1u);
    EXPECT_EQ(beside.images[0].key, p.id + "#picture");
    EXPECT_GT(beside.images[0].rect.x, wide.x + wide.w / 2);
    for (const auto& t : beside.texts) {
        EXPECT_LT(t.x + t.width, beside.images[0].rect.x) << t.text; // text never under it
    }
    const Rect narrow{0, 0, 700, 900};
    const Layer below = card(p, narrow, mediaOf(false, 1600, 1200));
    ASSERT_EQ(below.images.size(), 1u);
    EXPECT_GT(below.images[0].rect.y, narrow.h / 3);
}

TEST(CardLayout, AltTextCaptionAndMediaOnlyPosts) {
    Post p = samplePost("Look!");
    p.media.push_back(
        {"https://m.example/board.jpg", "Sticky notes on a wall", 1600, 1200, "image"});
    const Rect slot = spotlight(1920, 1080);
    CardOptions withAlt;
    withAlt.showAltText = true;
    const auto hasText = [](const Layer& l, const std::string& text) {
        return std::any_of(l.texts.begin(), l.texts.end(),
                           [&](const TextItem& t) { return t.text == text; });
    };
    EXPECT_FALSE(hasText(card(p, slot, mediaOf(false, 1600, 1200)), "Sticky notes on a wall"));
    EXPECT_TRUE(
        hasText(card(p, slot, mediaOf(false, 1600, 1200), withAlt), "Sticky notes on a wall"));
    p.text.clear(); // a picture without words: its description is shown with it
    const Layer mediaOnly = card(p, slot, mediaOf(false, 1600, 1200));
    EXPECT_TRUE(hasText(mediaOnly, "Sticky notes on a wall"));
    ASSERT_EQ(mediaOnly.images.size(), 1u);
    // And when the picture cannot be shown, the description stands in for it.
    EXPECT_TRUE(hasText(card(p, slot), "Sticky notes on a wall"));
}

TEST(CardLayout, ContentWarningHidesTheBodyAndThePicture) {
    Post p = samplePost("the secret answer");
    p.spoiler = "Quiz spoilers";
    p.media.push_back({"https://m.example/answer.jpg", "", 800, 600, "image"});
    const Layer layer = card(p, spotlight(1920, 1080), mediaOf(false, 800, 600));
    EXPECT_TRUE(layer.images.empty());
    bool warned = false;
    for (const auto& t : layer.texts) {
        EXPECT_EQ(t.text.find("secret"), std::string::npos);
        warned |= t.text == "Quiz spoilers";
    }
    EXPECT_TRUE(warned);
    CardOptions reveal;
    reveal.revealWarned = true;
    EXPECT_EQ(card(p, spotlight(1920, 1080), mediaOf(false, 800, 600), reveal).images.size(), 1u);
}

TEST(CardLayout, CustomEmojiBecomeInlinePictures) {
    Post p = samplePost("Lunch is great :camp_fire: and :unknown: stays text :camp_fire:");
    p.author.name = "Lena :verified:";
    CardMedia media;
    media.emoji = {{"camp_fire", "/cache/fire.png"}, {"verified", "/cache/tick.png"}};
    const Layer layer = card(p, spotlight(1920, 1080), media);
    const std::string tick = "\xf3\xb0\x80\x80"; // U+F0000: the first picture (the name's)
    const std::string fire = "\xf3\xb0\x80\x81";
    EXPECT_EQ(layer.texts[1].text, "Lena " + tick);
    std::string body;
    for (std::size_t i = 3; i < layer.texts.size(); ++i) {
        body += (body.empty() ? "" : " ") + layer.texts[i].text;
    }
    EXPECT_EQ(body, "Lunch is great " + fire + " and :unknown: stays text " + fire);
    EXPECT_EQ(layer.texts.back().inlineImages,
              (std::vector<std::string>{"/cache/tick.png", "/cache/fire.png"}));
    std::vector<std::string> images;
    EXPECT_EQ(withInlineEmoji("a:b:c::d:", {{"b", "/x.png"}}, images), "a\xf3\xb0\x80\x80"
                                                                       "c::d:");
}

TEST(ScreenLayout, GridShapesFollowTheScreen) {
    for (int n = 2; n <= 6; ++n) {
        ScreenOptions o;
        o.kind = LayoutKind::Grid;
        o.gridCards = n;
        for (auto [w, h] : {std::pair{1920, 1080}, std::pair{1280, 800}, std::pair{1024, 768}}) {
            const ScreenLayout l = screenLayout(o, w, h);
            ASSERT_EQ(l.slots.size(), std::size_t(n));
            EXPECT_EQ(cardsPerPage(o), std::size_t(n));
            for (std::size_t i = 0; i < l.slots.size(); ++i) {
                for (std::size_t j = i + 1; j < l.slots.size(); ++j) {
                    const Rect& a = l.slots[i];
                    const Rect& b = l.slots[j];
                    const bool apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y ||
                                       b.y + b.h <= a.y;
                    EXPECT_TRUE(apart) << n << " cards at " << w << "x" << h;
                }
                EXPECT_GT(l.slots[i].w, l.slots[i].h / 2) << "no needle-thin cards";
            }
        }
    }
}

TEST(ScreenLayout, RailAndOverscan) {
    ScreenOptions o;
    o.kind = LayoutKind::Rail;
    const ScreenLayout rail = screenLayout(o, 1920, 1080);
    ASSERT_EQ(rail.slots.size(), 1u);
    ASSERT_EQ(rail.rail.size(), 3u);
    EXPECT_GT(rail.rail[0].x, rail.slots[0].x + rail.slots[0].w);
    o.kind = LayoutKind::Spotlight;
    o.overscan = 0.05;
    const ScreenLayout safe = screenLayout(o, 1920, 1080);
    EXPECT_GE(safe.slots[0].x, 96);
    EXPECT_LE(safe.slots[0].x + safe.slots[0].w, 1920 - 96);
}

TEST(Chrome, EventHashtagsClockCallToActionQrAndWaiting) {
    WallInfo info;
    info.eventName = "VCSS Camp";
    info.hashtags = {"VCSSCamp", "VCSS26"};
    info.callToAction = "Post with #VCSSCamp";
    info.qrUrl = "https://vcss.example/wall";
    info.clock = "14:05";
    info.waiting = true;
    const ScreenLayout screen = screenLayout({}, 1280, 800);
    const Layer layer = layoutChrome(info, screen, *themeNamed("light"), 1280, measure);
    std::vector<std::string> shown;
    for (const auto& t : layer.texts) {
        shown.push_back(t.text);
        EXPECT_LE(t.x + t.width, 1280) << t.text;
        EXPECT_GE(t.x, 0) << t.text;
    }
    EXPECT_EQ(shown,
              (std::vector<std::string>{"14:05", "#VCSSCamp   #VCSS26", "VCSS Camp",
                                        "Post with #VCSSCamp", "Waiting for the first posts…"}));
    ASSERT_EQ(layer.qrs.size(), 1u);
    EXPECT_GE(layer.qrs[0].modules, 21);
    EXPECT_TRUE(inside(layer.qrs[0].rect, screen.footer));
}

TEST(Chrome, OfflineHidesTheCallToActionAndSaysSo) {
    WallInfo info;
    info.eventName = "VCSS Camp";
    info.callToAction = "Post with #VCSSCamp";
    info.qrUrl = "https://vcss.example/wall";
    info.offline = true;
    const Layer layer =
        layoutChrome(info, screenLayout({}, 1920, 1080), *themeNamed("dark"), 1920, measure);
    EXPECT_TRUE(layer.qrs.empty());
    std::string notice;
    for (const auto& t : layer.texts) {
        EXPECT_NE(t.text, "Post with #VCSSCamp");
        if (t.text.find("offline") != std::string::npos) {
            notice = t.text;
        }
    }
    EXPECT_EQ(notice, "● offline: showing the posts saved on this wall");
    // Nothing saved yet: the notice does not promise posts the card says are not there.
    info.waiting = true;
    notice.clear();
    for (const auto& t :
         layoutChrome(info, screenLayout({}, 1920, 1080), *themeNamed("dark"), 1920, measure)
             .texts) {
        if (t.text.find("offline") != std::string::npos) {
            notice = t.text;
        }
    }
    EXPECT_EQ(notice, "● offline: waiting for the network");
}

TEST(Chrome, OfflineKeepsTheQrThatLeadsToTheWallItself) {
    WallInfo info;
    info.eventName = "Harbour Camp";
    info.callToAction = "Offline: scan to post here";
    info.qrUrl = "http://192.168.7.20:8080/post";
    info.offline = true;
    info.qrWorksOffline = true;
    const ScreenLayout screen = screenLayout({}, 1920, 1080);
    const Layer layer = layoutChrome(info, screen, *themeNamed("dark"), 1920, measure);
    ASSERT_EQ(layer.qrs.size(), 1u);
    EXPECT_TRUE(inside(layer.qrs[0].rect, screen.footer));
    std::vector<std::string> footer;
    for (const auto& t : layer.texts) {
        if (t.y >= screen.footer.y) {
            footer.push_back(t.text);
            EXPECT_LE(t.x + t.width, layer.qrs[0].rect.x) << "the words stop before the QR code";
        }
    }
    EXPECT_EQ(footer, std::vector<std::string>{"Offline: scan to post here"});
}

TEST(Chrome, ASetupCardTakesThePostsPlaceWithABigQrAndNoSecretInWords) {
    WallInfo info;
    info.eventName = "Harbour Camp";
    info.callToAction = "Post with #HarbourCamp";
    info.qrUrl = "https://harbour.example/wall";
    const std::string code(64, 'c');
    info.setupUrl = "http://192.168.7.20:8080/#setup=" + code;
    const ScreenLayout screen = screenLayout({}, 1920, 1080);
    const Layer layer = layoutChrome(info, screen, *themeNamed("dark"), 1920, measure);
    // The footer's QR and the setup card's, which is large enough to scan from a few metres.
    ASSERT_EQ(layer.qrs.size(), 2u);
    const QrItem& setup = layer.qrs[1];
    EXPECT_TRUE(inside(setup.rect, screen.slots[0]));
    EXPECT_GE(setup.rect.w, 400);
    std::vector<std::string> inCard;
    for (const auto& t : layer.texts) {
        EXPECT_EQ(t.text.find(code), std::string::npos) << "the secret is for the QR code only";
        if (inside(t, screen.slots[0])) {
            inCard.push_back(t.text);
            EXPECT_LE(t.x + t.width, setup.rect.x) << t.text << " runs into the QR code";
        }
    }
    ASSERT_FALSE(inCard.empty());
    EXPECT_EQ(inCard.front(), "Set up this wall");
    EXPECT_EQ(inCard.back(), "http://192.168.7.20:8080/");
    // The box under it, and no "waiting" words even with no posts.
    info.waiting = true;
    const Layer waiting = layoutChrome(info, screen, *themeNamed("dark"), 1920, measure);
    for (const auto& t : waiting.texts) {
        EXPECT_EQ(t.text.find("Waiting"), std::string::npos);
    }
    EXPECT_EQ(waiting.boxes.size(), layer.boxes.size());
}

TEST(Chrome, ANoticeTakesTheCallToActionsPlace) {
    WallInfo info;
    info.eventName = "Harbour Camp";
    info.callToAction = "Post with #HarbourCamp";
    info.notice = "kiosk.json:12:5: expected ',' or '}' (running the last good config)";
    const ScreenLayout screen = screenLayout({}, 1920, 1080);
    const Layer layer = layoutChrome(info, screen, *themeNamed("dark"), 1920, measure);
    std::vector<std::string> footer;
    for (const auto& t : layer.texts) {
        if (t.y >= screen.footer.y) {
            footer.push_back(t.text);
            EXPECT_EQ(t.color, themeNamed("dark")->warning);
        }
    }
    ASSERT_EQ(footer.size(), 1u);
    EXPECT_EQ(footer[0].rfind("⚠ kiosk.json:12:5: expected", 0), 0u) << footer[0];
}

TEST(Theme, BodyTextContrastIsAtLeastSevenToOne) {
    for (const char* name : {"dark", "light", "high-contrast"}) {
        const Theme t = *themeNamed(name);
        EXPECT_GE(contrastRatio(t.text, t.card), 7.0) << name;
        EXPECT_GE(contrastRatio(t.muted, t.card), 4.5) << name;
        EXPECT_GE(contrastRatio(t.accent, t.header), 4.5) << name;
    }
    EXPECT_FALSE(themeNamed("neon"));
    EXPECT_NEAR(contrastRatio({0, 0, 0, 255}, {255, 255, 255, 255}), 21.0, 0.01);
}

// The renderer composes what splitLayer puts in a band and draws the rest itself: an item half
// in the band must stay outside, or the texture would cut it off at the band's edge.
TEST(LayerGeometry, BoundsAndSplitFollowEveryKindOfItem) {
    Layer layer;
    layer.boxes.push_back({{0, 0, 1920, 120}, {}, 0});
    layer.texts.push_back(textAt(measure, "Harbour Camp", FontRole::Bold, 56, {}, 40, 30));
    layer.texts.push_back(textAt(measure, "Up next", FontRole::Bold, 34, {}, 1500, 100));
    layer.images.push_back({{1700, 20, 80, 80}, "logo:x.png", false, 0});
    layer.qrs.push_back({{1760, 950, 130, 130}, 21, std::vector<bool>(441), {}, {}});
    EXPECT_FALSE(layerBounds(Layer{}).has_value());
    const auto all = layerBounds(layer);
    ASSERT_TRUE(all.has_value());
    EXPECT_EQ(*all, (Rect{0, 0, 1920, 1080}));
    const auto [inside, outside] = splitLayer(layer, {0, 0, 1920, 120});
    EXPECT_EQ(inside.boxes.size(), 1u);
    EXPECT_EQ(inside.images.size(), 1u);
    ASSERT_EQ(inside.texts.size(), 1u);
    EXPECT_EQ(inside.texts[0].text, "Harbour Camp");
    ASSERT_EQ(outside.texts.size(), 1u) << "the line reaching below the band";
    EXPECT_EQ(outside.qrs.size(), 1u);
    Layer joined = inside;
    append(joined, outside);
    EXPECT_EQ(layerBounds(joined), all);
}

} // namespace
} // namespace kiosk
