// The wall's live sources, made from the config's source specs: the one place a source is made
// to run and the one place its position is restored from the database. A source whose spec is
// unchanged across an update stays the same object, still where it was; a new one (added on the
// control page, or taken over from another screen of a group) resumes from its stored position.
#pragma once

#include "kiosk/config/Config.h"
#include "kiosk/sources/Source.h"
#include "kiosk/store/Database.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kiosk {

class SourceSet {
public:
    explicit SourceSet(Database* db) : db_(db) {}

    // The live sources for these specs, in their order; sources no spec names any more go.
    std::vector<std::shared_ptr<Source>> update(const std::vector<SourceSpec>& specs);

private:
    struct Live {
        SourceSpec spec;
        std::shared_ptr<Source> source;
    };
    Database* db_;                     // may be null: nothing to resume from
    std::map<std::string, Live> live_; // by label
};

} // namespace kiosk
