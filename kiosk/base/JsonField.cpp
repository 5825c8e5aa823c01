// See JsonField.h.
#include "kiosk/base/JsonField.h"

namespace kiosk {
namespace {

struct TooDeep {};

} // namespace

UntrustedJson parseUntrustedJson(std::string_view text, int maxDepth) {
    using nlohmann::json;
    const json::parser_callback_t depthLimit = [maxDepth](int depth, json::parse_event_t event,
                                                          json&) {
        if ((event == json::parse_event_t::object_start ||
             event == json::parse_event_t::array_start) &&
            depth >= maxDepth) {
            throw TooDeep{};
        }
        return true;
    };
    UntrustedJson out;
    try {
        out.doc = json::parse(text, depthLimit, false);
    } catch (const TooDeep&) {
        out.doc = json(json::value_t::discarded);
        out.problem = "nested deeper than " + std::to_string(maxDepth) + " levels";
        return out;
    }
    if (out.doc.is_discarded()) {
        out.problem = "not valid JSON";
    }
    return out;
}

} // namespace kiosk
