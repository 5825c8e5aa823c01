// RSS 2.0 and Atom feeds (blog posts and WordPress comment feeds) through pugixml, and JSON
// Feed 1.0/1.1. A feed cut off mid-way still yields the items before the break.
#pragma once

#include "kiosk/sources/Source.h"

namespace kiosk {

// Both accept either flavour: the document says what it is.
Result<ParseOutput> parseRss(std::string_view body, const ParseContext& context);
Result<ParseOutput> parseAtom(std::string_view body, const ParseContext& context);
Result<ParseOutput> parseJsonFeed(std::string_view body, const ParseContext& context);

} // namespace kiosk
