// Helpers shared by the adapters: fetching with clear errors, and id normalisation.
#include "kiosk/sources/Source.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Time.h"

#include <nlohmann/json.hpp>

namespace kiosk {

PollOutput Source::stream(HttpClient&, const PollSettings&, StreamSink&) {
    PollOutput out;
    out.error = label() + " cannot stream";
    return out;
}

HttpRequest PollSettings::request(std::string url) const {
    HttpRequest r;
    r.url = std::move(url);
    r.connectTimeout = connectTimeout;
    r.totalTimeout = totalTimeout;
    r.maxBytes = maxResponseBytes;
    r.sameOriginRedirects = true;
    return r;
}

std::string describeApiFailure(const HttpRequest& request, const HttpResponse& response) {
    std::string message = describeFailure(request, response);
    // APIs explain themselves: Mastodon {"error"}, WordPress and XRPC {"message"}, X {"detail"}.
    const auto body = parseUntrustedJson(response.body).doc;
    if (body.is_object()) {
        for (const char* key : {"error_description", "message", "detail", "error"}) {
            if (body.contains(key) && body[key].is_string()) {
                message += ": " + body[key].get<std::string>();
                break;
            }
        }
    }
    return message;
}

std::string futureDated(UnixTime createdAt, UnixTime now) {
    // A Pi has no battery clock: before NTP (or with no internet at all) it may think it is an
    // earlier day than this code was written. Such a clock judges nothing, or the wall would
    // drop every post as "in the future".
    constexpr UnixTime kClockNotSetBefore = 1793491200; // 2026-11-01T00:00:00Z
    if (now < kClockNotSetBefore || createdAt <= now + kClockSkewSeconds) {
        return {};
    }
    return "dated " + formatIsoTime(createdAt) + ", in the future";
}

void dropFutureDated(ParseOutput& parsed, UnixTime now) {
    std::erase_if(parsed.posts, [&](const Post& post) {
        const std::string why = futureDated(post.createdAt, now);
        if (!why.empty()) {
            parsed.skipped.push_back(post.id + ": " + why);
        }
        return !why.empty();
    });
}

Fetched fetchAndParse(HttpClient& http, const HttpRequest& request, ParseFn parse,
                      const ParseContext& context, const std::string& module) {
    Fetched f;
    f.response = http.send(request);
    if (f.notModified()) {
        return f;
    }
    if (!f.response.ok()) {
        f.error = describeApiFailure(request, f.response);
        return f;
    }
    auto parsed = parse(f.response.body, context);
    if (!parsed) {
        f.error = request.url + ": " + parsed.error();
        return f;
    }
    dropFutureDated(parsed.value(), context.now);
    for (const auto& skipped : parsed->skipped) {
        logWarn(module, request.url + ": skipped " + skipped);
    }
    f.out = std::move(parsed.value());
    return f;
}

bool numericIdNewer(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a > b;
}

std::string jsonIdString(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number_unsigned()) { // beyond long long it would come out negative
        return std::to_string(value.get<unsigned long long>());
    }
    if (value.is_number_integer()) {
        return std::to_string(value.get<long long>());
    }
    return {};
}

} // namespace kiosk
