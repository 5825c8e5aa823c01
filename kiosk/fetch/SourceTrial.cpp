// See SourceTrial.h.
#include "kiosk/fetch/SourceTrial.h"

#include "kiosk/base/Log.h"

#include <algorithm>
#include <set>

namespace kiosk {

using nlohmann::json;

json trySource(const nlohmann::ordered_json& source, const Config& config,
               const ClientMaker& clients, UnixTime now) {
    // The same reader as the config file's, so the same checks and the same messages.
    nlohmann::ordered_json doc{{"sources", nlohmann::ordered_json::array({source})}};
    auto loaded = parseConfig(doc.dump(), config.path);
    if (!loaded) {
        std::string error = loaded.error();
        // "<path>: sources[0].server: ..." reads better without the file the page never saw.
        if (const auto at = error.find(": "); at != std::string::npos) {
            error = error.substr(at + 2);
        }
        return json{{"ok", false}, {"error", error}};
    }
    if (loaded.value().sources.size() != 1) {
        return json{{"ok", false}, {"error", "sources[0]: expected one source to try"}};
    }
    const auto made = loaded.value().sources.front().make();
    Source& tried = *made;
    PollSettings settings = pollSettingsFor(config.network);
    settings.totalTimeout = std::min(settings.totalTimeout, std::chrono::seconds(15));
    settings.now = now;
    auto client = clients(nullptr);
    PollOutput out = tried.poll(*client, settings);
    // A post under two of the source's hashtags comes twice; the wall would show it once.
    std::set<std::string> seen;
    std::erase_if(out.posts, [&seen](const Post& p) { return !seen.insert(p.id).second; });
    logInfo("control", "tried " + tried.label() + ": " + std::to_string(out.posts.size()) +
                           " posts" + (out.error.empty() ? "" : "; " + out.error));
    if (!out.error.empty() && out.posts.empty()) {
        return json{{"ok", false}, {"label", tried.label()}, {"error", out.error}};
    }
    json sample = json::array();
    for (std::size_t i = 0; i < out.posts.size() && i < 3; ++i) {
        const Post& p = out.posts[i];
        sample.push_back({{"name", p.author.name}, {"text", p.text.substr(0, 120)}});
    }
    json answer{
        {"ok", true}, {"label", tried.label()}, {"posts", out.posts.size()}, {"sample", sample}};
    if (!out.error.empty()) {
        answer["error"] = out.error; // some pages came, a later one failed
    }
    return answer;
}

} // namespace kiosk
