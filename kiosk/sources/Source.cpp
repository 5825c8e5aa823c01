// Helpers shared by the adapters: fetching with clear errors, and id normalisation.
#include "kiosk/sources/Source.h"

#include "kiosk/core/Log.h"

#include <nlohmann/json.hpp>

namespace kiosk {

Result<ParseOutput> fetchAndParse(HttpClient& http, const HttpRequest& request, ParseFn parse,
                                  const ParseContext& context, const std::string& module) {
    const HttpResponse response = http.get(request);
    if (!response.ok()) {
        std::string message = describeFailure(request, response);
        // APIs explain themselves in a JSON "error" field (Mastodon, WordPress "message").
        const auto body = nlohmann::json::parse(response.body, nullptr, false);
        if (body.is_object()) {
            for (const char* key : {"error", "message"}) {
                if (body.contains(key) && body[key].is_string()) {
                    message += ": " + body[key].get<std::string>();
                    break;
                }
            }
        }
        return Error{message};
    }
    auto parsed = parse(response.body, context);
    if (!parsed) {
        return Error{request.url + ": " + parsed.error()};
    }
    for (const auto& skipped : parsed->skipped) {
        logWarn(module, request.url + ": skipped " + skipped);
    }
    return parsed;
}

std::string jsonIdString(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number_integer()) {
        return std::to_string(value.get<long long>());
    }
    return {};
}

std::string jsonString(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) {
        return {};
    }
    auto it = obj.find(key);
    return (it != obj.end() && it->is_string()) ? it->get<std::string>() : std::string();
}

} // namespace kiosk
