// Laying out and preparing a card: the pure layout with real font metrics, and the whole
// preparation the worker thread does before a card is shown (layout, every line rendered with
// HarfBuzz and the fallback chain, the avatar decoded and masked) for a 500-character post in
// several scripts. Neither runs on the frame thread in the wall; these figures say how far
// ahead of a transition the worker must start.
#include "kiosk/layout/CardLayout.h"
#include "kiosk/layout/Theme.h"
#include "kiosk/render/CardPreparer.h"
#include "kiosk/render/TextEngine.h"

#include <benchmark/benchmark.h>

#include <string>

namespace {

using namespace kiosk;

Post multilingualPost() {
    Post p;
    p.id = "mastodon:quay.example:114500000000009001";
    p.source = "mastodon";
    p.createdAt = 1784000000;
    p.author = {"Ayşe Yılmaz 🌊", "@ayse@quay.example", "https://quay.example/a/ayse.png", ""};
    p.text = "Day two at #HarbourCamp: the workshop on community radio was packed 📻✨ "
             "Merci à toutes les bénévoles! Danke für den Kaffee am Steg ☕ "
             "مرحبا بكم في المخيم، الجلسة التالية في الخيمة الكبيرة "
             "港の朝はとても静かでした。次のセッションは十時から始まります。"
             "다음 세션은 열 시에 시작합니다 👩🏽‍💻 "
             "Lightning talks at 16:00, sign up at the info desk — bring your own slides "
             "and a story about the weirdest bug you ever fixed 🐛🔧 "
             "Abendessen um 19 Uhr im großen Zelt, danach Lagerfeuer am Strand 🔥 "
             "שלום לכולם, נתראה בערב ליד המדורה. Obrigada pela tarde incrível, até amanhã!";
    return p;
}

TextEngine& engine() {
    static TextEngine text(defaultFontChain());
    return text;
}

void layoutWithRealFonts(benchmark::State& state) {
    const Post post = multilingualPost();
    const Theme theme = *themeNamed("dark");
    CardMedia media;
    media.avatar = true;
    for (auto _ : state) {
        Layer layer =
            layoutCard(post, theme, {40, 140, 1840, 800}, media, {}, engine(), 1784000300);
        benchmark::DoNotOptimize(layer);
    }
    state.SetLabel(std::to_string(post.text.size()) + " bytes of text");
}
BENCHMARK(layoutWithRealFonts)->Unit(benchmark::kMillisecond);

void prepareCardOffThread(benchmark::State& state) {
    const Post post = multilingualPost();
    const std::string avatar = KIOSK_SOURCE_DIR "/assets/demo/logo.png";
    const MediaLookup lookup = [&](const std::string&) -> std::optional<std::string> {
        return avatar;
    };
    CardStyle style{*themeNamed("dark"), {}, {}};
    for (auto _ : state) {
        // A new minute each time, so no line is reused from an earlier preparation.
        auto card = prepareCard({post, {40, 140, 1840, 800}, 1784000300}, style, engine(), lookup);
        benchmark::DoNotOptimize(card);
    }
}
BENCHMARK(prepareCardOffThread)->Unit(benchmark::kMillisecond);

} // namespace
