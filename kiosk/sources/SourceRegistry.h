// The one table of source adapters: config type name, payload format for `kiosk parse`, and the
// factory that reads a source's config block. Adding a network means adding a row here.
#pragma once

#include "kiosk/core/ConfigReader.h"
#include "kiosk/sources/Source.h"

#include <memory>
#include <span>
#include <string>

namespace kiosk {

struct SourceContext {
    std::string configDir; // relative file: URLs resolve against it
};

struct SourceType {
    const char* name;        // "mastodon": the config's "type" and `kiosk parse --format`
    const char* description; // for --help
    ParseFn parse;
    std::unique_ptr<Source> (*create)(ObjectReader& reader, const SourceContext& context);
};

std::span<const SourceType> sourceTypes();
const SourceType* findSourceType(std::string_view name);
std::string sourceTypeNames(); // types a config can poll: "mastodon, wordpress, ..."
std::string formatNames();     // every format `kiosk parse` reads

} // namespace kiosk
