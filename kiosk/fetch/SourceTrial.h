// "Try it" on the control page: one source block, as the organiser filled it in, built the way
// the config loader builds it and polled once with the wall's own HTTP clients. The answer says
// how many posts came and what the first ones are, or the config's or the server's own words.
// Nothing is kept: the posts are not judged, stored or shown.
#pragma once

#include "kiosk/config/Config.h"
#include "kiosk/fetch/LiveFetch.h"

#include <nlohmann/json.hpp>

namespace kiosk {

// {"ok": true, "label": ..., "posts": 12, "sample": [{"name", "text"}...]} or
// {"ok": false, "error": "sources[0].server: ..." or the URL, status and the API's words}.
nlohmann::json trySource(const nlohmann::ordered_json& source, const Config& config,
                         const ClientMaker& clients, UnixTime now);

} // namespace kiosk
