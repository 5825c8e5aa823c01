// How fast each format's parser turns a recorded-format payload into posts (items/s is posts
// per second). The payloads are the test fixtures, so the figures follow the real API shapes.
#include "kiosk/sources/SourceRegistry.h"

#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string readFixture(const std::string& relative) {
    std::ifstream in(std::string(KIOSK_SOURCE_DIR "/tests/fixtures/") + relative,
                     std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void parseFormat(benchmark::State& state, const char* format, const char* fixture) {
    const std::string body = readFixture(fixture);
    const kiosk::SourceType* type = kiosk::findSourceType(format);
    if (!type || body.empty()) {
        state.SkipWithError("format or fixture missing");
        return;
    }
    const kiosk::ParseContext context{"", 1784000000};
    std::size_t posts = 0;
    for (auto _ : state) {
        auto out = type->parse(body, context);
        benchmark::DoNotOptimize(out);
        posts += out ? out->posts.size() : 0;
    }
    state.SetItemsProcessed(std::int64_t(posts));
    state.SetBytesProcessed(std::int64_t(state.iterations() * body.size()));
}

BENCHMARK_CAPTURE(parseFormat, mastodon, "mastodon", "mastodon/tag_timeline_mixed.json");
BENCHMARK_CAPTURE(parseFormat, bluesky, "bluesky", "bluesky/search_posts.json");
BENCHMARK_CAPTURE(parseFormat, wordpress, "wordpress", "wordpress/comments_post17.json");
BENCHMARK_CAPTURE(parseFormat, wpcom, "wpcom", "wpcom/post_replies.json");
BENCHMARK_CAPTURE(parseFormat, rss, "rss", "feeds/comments_rss2.xml");
BENCHMARK_CAPTURE(parseFormat, atom, "atom", "feeds/comments_atom.xml");
BENCHMARK_CAPTURE(parseFormat, jsonfeed, "jsonfeed", "feeds/camp_feed.json");
BENCHMARK_CAPTURE(parseFormat, x, "x", "x/search_recent.json");

} // namespace
