// The "schedule", "pinned" and "announcements" parts of the config: how the wall paces and
// mixes what it shows, and the organiser's own cards.
#include "kiosk/base/ConfigReader.h"
#include "kiosk/config/Config.h"
#include "kiosk/sources/SourceRegistry.h"

namespace kiosk {

void readScheduleConfig(ObjectReader& root, Config& config) {
    if (const auto* schedule = root.object("schedule")) {
        ObjectReader r(*schedule, "schedule", *root.errors());
        ScheduleRules& s = config.schedule;
        s.authorSpacing = int(r.integer("author_spacing", 4, 1, 50));
        s.noRepeatWithin = int(r.integer("no_repeat_within", 10, 1, 500));
        s.pinEvery = int(r.integer("pin_every", 6, 2, 100));
        s.announcementEvery = int(r.integer("announcement_every", 8, 2, 100));
        s.maxAge = UnixTime(r.integer("max_post_age_hours", 0, 0, 24 * 365)) * 3600;
        if (const auto* weights = r.object("source_weights")) {
            for (const auto& [source, weight] : weights->items()) {
                if (!findSourceType(source)) {
                    root.errors()->add(r.pathOf("source_weights") + "." + source,
                                       "unknown source type \"" + source +
                                           "\" (known: " + sourceTypeNames() + ")");
                    continue;
                }
                if (!weight.is_number() || weight.get<double>() <= 0) {
                    root.errors()->add(r.pathOf("source_weights") + "." + source,
                                       "expected a positive number");
                    continue;
                }
                s.sourceWeights[source] = weight.get<double>();
            }
        }
        r.finish();
    }
    config.pinned = root.stringList("pinned");
    const auto* list = root.array("announcements");
    if (!list) {
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = "announcements[" + std::to_string(i) + "]";
        ObjectReader r((*list)[i], path, *root.errors());
        if (!(*list)[i].is_object()) {
            root.errors()->add(path, "expected an object with \"id\" and \"text\"");
            continue;
        }
        AnnouncementConfig a;
        a.id = r.string("id", "", true);
        a.text = r.string("text", "", true);
        for (const auto& [key, slot] : {std::pair{"from", &a.from}, std::pair{"until", &a.until}}) {
            const std::string when = r.string(key, "");
            if (when.empty()) {
                continue;
            }
            if (auto t = parseIsoTime(when)) {
                *slot = *t;
            } else {
                r.error(key,
                        "expected a time like \"2026-06-13T12:00:00+02:00\", got \"" + when + "\"");
            }
        }
        r.finish();
        config.announcements.push_back(std::move(a));
    }
}

std::vector<Post> announcementPosts(const Config& config) {
    std::vector<Post> out;
    for (const auto& a : config.announcements) {
        Post p;
        p.id = "announcement:" + a.id;
        p.source = "announcement";
        p.createdAt = a.from;
        p.author.name = config.event.name;
        p.text = a.text;
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace kiosk
