// See SourceSet.h.
#include "kiosk/fetch/SourceSet.h"

namespace kiosk {

std::vector<std::shared_ptr<Source>> SourceSet::update(const std::vector<SourceSpec>& specs) {
    std::map<std::string, Live> next;
    std::vector<std::shared_ptr<Source>> out;
    for (const auto& spec : specs) {
        auto it = live_.find(spec.label);
        Live live;
        if (it != live_.end() && it->second.spec == spec) {
            live = std::move(it->second); // runs on from where it is
        } else {
            live = {spec, spec.make()};
            if (db_) {
                if (auto state = db_->sourceState(spec.label)) {
                    live.source->loadState(*state);
                }
            }
        }
        out.push_back(live.source);
        next[spec.label] = std::move(live);
    }
    live_ = std::move(next);
    return out;
}

} // namespace kiosk
