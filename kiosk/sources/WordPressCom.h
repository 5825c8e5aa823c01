// WordPress.com public REST API v1.1 comments (/sites/{site}/posts/{id}/replies/ and
// /sites/{site}/comments/): {found, site_ID, comments: [...]}, parent false or an object.
#pragma once

#include "kiosk/sources/Source.h"

namespace kiosk {

Result<ParseOutput> parseWordPressCom(std::string_view body, const ParseContext& context);

} // namespace kiosk
