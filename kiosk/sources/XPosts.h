// X (Twitter) API v2 search/recent and tweet lookup responses: data joined with includes
// (users, media, referenced posts), under both the older "tweet" and the newer "post" names.
#pragma once

#include "kiosk/sources/Source.h"

namespace kiosk {

Result<ParseOutput> parseXPosts(std::string_view body, const ParseContext& context);

// X escapes &, < and > in post text; this undoes exactly that, once.
std::string unescapeXText(std::string_view text);

// Creation time encoded in a snowflake id (for responses without created_at).
std::optional<UnixTime> snowflakeTime(const std::string& id);

} // namespace kiosk
