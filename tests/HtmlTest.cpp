// HTML to text: the shapes Mastodon and WordPress send, and hostile markup that must come out
// as harmless plain text.
#include "kiosk/text/Html.h"

#include <gtest/gtest.h>

namespace kiosk {
namespace {

struct HtmlCase {
    const char* name;
    const char* html;
    const char* text;
};
// Test names show the row, not its bytes.
void PrintTo(const HtmlCase& row, std::ostream* os) {
    *os << row.name;
}

class HtmlToText : public ::testing::TestWithParam<HtmlCase> {};

TEST_P(HtmlToText, ProducesPlainText) {
    EXPECT_EQ(htmlToText(GetParam().html).text, GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    Table, HtmlToText,
    ::testing::Values(
        HtmlCase{"paragraphs", "<p>One</p><p>Two</p>", "One\nTwo"},
        HtmlCase{"line_breaks", "<p>a<br>b<br/>c</p>", "a\nb\nc"},
        HtmlCase{"entities_once", "<p>Tom &amp; Jerry &lt;3 &#39;hi&#39; &amp;lt;</p>",
                 "Tom & Jerry <3 'hi' &lt;"},
        HtmlCase{"mastodon_link_spans",
                 "<p><a href=\"https://example.org/a/very/long/path\"><span class=\"invisible\">"
                 "https://</span><span class=\"ellipsis\">example.org/a/very/lo</span><span "
                 "class=\"invisible\">ng/path</span></a></p>",
                 "example.org/a/very/lo…"},
        HtmlCase{"hashtag_and_mention_kept",
                 "<p><span class=\"h-card\"><a href=\"https://s.example/@ann\" class=\"u-url "
                 "mention\">@<span>ann</span></a></span> hi <a href=\"https://s.example/tags/x\" "
                 "class=\"mention hashtag\" rel=\"tag\">#<span>x</span></a></p>",
                 "@ann hi #x"},
        HtmlCase{"script_and_style_dropped",
                 "<p>safe</p><script>alert('x')</script><style>p{color:red}</style><p>text</p>",
                 "safe\ntext"},
        HtmlCase{"event_handlers_do_not_leak",
                 "<p onclick=\"steal()\">Click <b onmouseover=x>"
                 "me</b></p>",
                 "Click me"},
        HtmlCase{"nested_and_unclosed", "<div><p>a <em>b <strong>c</p> d</div>", "a b c\nd"},
        HtmlCase{"stray_less_than", "<p>1 < 2 and 3 <> 4 <</p>", "1 < 2 and 3 <> 4 <"},
        HtmlCase{"whitespace_collapsed", "<p>  lots \n\t of   space  </p>", "lots of space"},
        HtmlCase{"quote_inline_hidden",
                 "<p>Look<span class=\"quote-inline\"><br><br>RE: https://x.example/1</span></p>",
                 "Look"},
        HtmlCase{"lists", "<ul><li>one</li><li>two</li></ul>", "• one\n• two"},
        HtmlCase{"comments_and_iframes", "<p>a<!-- hidden --><iframe src=x>b</iframe>c</p>", "ac"},
        HtmlCase{"empty", "", ""}, HtmlCase{"plain_text_passthrough", "just text", "just text"},
        HtmlCase{"emoji_and_scripts", "<p>مرحبا 👋🏽 日本語</p>",
                 "مرحبا 👋🏽 日本語"}),
    [](const auto& row) { return std::string(row.param.name); });

TEST(HtmlLinks, CollectsWebLinksButNotMentionsTagsOrScripts) {
    const auto out = htmlToText(
        "<p><a href=\"https://a.example/x\">x</a> <a href=\"javascript:alert(1)\">bad</a> "
        "<a class=\"mention\" href=\"https://s/@u\">@u</a> <a class=\"mention hashtag\" "
        "href=\"https://s/tags/t\">#t</a> <a href=\"http://b.example\">b</a></p>");
    EXPECT_EQ(out.links, (std::vector<std::string>{"https://a.example/x", "http://b.example"}));
}

TEST(CleanInlineText, DropsZeroWidthAndTrims) {
    EXPECT_EQ(cleanInlineText("  Anke \u200b :coffee: \n"), "Anke  :coffee:");
    EXPECT_EQ(cleanInlineText("\u200b"), "");
    // The zero-width joiner belongs to emoji sequences and stays.
    EXPECT_EQ(cleanInlineText("a\u200d"), "a\u200d");
}

} // namespace
} // namespace kiosk
