// Small helpers shared by every HttpClient implementation.
#include "kiosk/net/HttpClient.h"

namespace kiosk {

std::string HttpResponse::header(const std::string& lowerName) const {
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

HttpResponse HttpClient::stream(const HttpRequest& request, const ChunkHandler& onChunk) {
    HttpResponse response = send(request);
    if (response.ok()) {
        onChunk(response.body);
        response.body.clear();
    }
    return response;
}

std::string describeFailure(const HttpRequest& request, const HttpResponse& response) {
    if (response.status == 0) {
        return request.url + ": " + (response.error.empty() ? "no response" : response.error);
    }
    std::string reason;
    switch (response.status) {
    case 401:
        reason = " (the server wants a valid access token)";
        break;
    case 403:
        reason = " (access forbidden)";
        break;
    case 404:
        reason = " (not found)";
        break;
    case 429:
        reason = " (rate limited)";
        break;
    default:
        if (response.status >= 500) {
            reason = " (server error)";
        }
    }
    return request.url + ": HTTP " + std::to_string(response.status) + reason;
}

} // namespace kiosk
