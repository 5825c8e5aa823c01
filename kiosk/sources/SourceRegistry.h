// The one table of source adapters. A row holds everything the rest of the wall needs to know
// about a network: its config type name, the name on its cards, the payload format for
// `kiosk parse`, the factory that reads its config block, and which of that block's keys are
// secrets, say where requests go, name an account or name a file. Adding a network means two
// files (parser, source) and a row here; docs/ARCHITECTURE.md and docs/DEVELOPING.md walk through
// it.
#pragma once

#include "kiosk/base/ConfigReader.h"
#include "kiosk/sources/Source.h"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace kiosk {

struct SourceContext {
    std::string configDir; // relative file: URLs resolve against it
};

// The key lists are space-separated config keys, so a row reads on one screen.
struct SourceType {
    const char* name;        // "mastodon": the config's "type" and `kiosk parse --format`
    const char* displayName; // on the card: "Mastodon", "Blog comment"
    const char* description; // for --help
    ParseFn parse;
    std::unique_ptr<Source> (*create)(ObjectReader& reader, const SourceContext& context);
    const char* secretKeys;  // never shown on the control page; bound to the keys below
    const char* addressKeys; // where requests (and so the secrets) go: http(s) from the page
    const char* accountKeys; // whose account the secrets open
    const char* fileKeys;    // files on the wall: set in the config file only
    // What the control page's form for this network asks, as "key:kind" (kinds: url, text,
    // secret, tags, numbers); other keys keep what the config file says.
    const char* formFields;
};

std::span<const SourceType> sourceTypes();
const SourceType* findSourceType(std::string_view name);
std::string sourceTypeNames(); // types a config can poll: "mastodon, wordpress, ..."
std::string formatNames();     // every format `kiosk parse` reads

// Whether `key` is one of the space-separated keys in `list`.
bool listsKey(const char* list, std::string_view key);
// A source's address and account keys: two config blocks of one type with the same values
// there are the same source, whatever else (hashtags, poll_seconds) changed.
std::vector<std::string> identityKeys(const SourceType& type);
// "mastodon" -> "Mastodon" for every row, for the card's source line.
std::vector<std::pair<std::string, std::string>> sourceDisplayNames();

} // namespace kiosk
