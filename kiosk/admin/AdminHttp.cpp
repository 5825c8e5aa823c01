// See AdminHttp.h.
#include "kiosk/admin/AdminHttp.h"

#include "kiosk/base/JsonField.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>

namespace kiosk {

using nlohmann::json;

namespace {

// Deeper than any body the page sends; copying or printing a deeper document recurses and could
// overflow the stack, so such a body is refused while it is parsed.
constexpr int kMaxJsonDepth = 16;

// Whether every code point of valid UTF-8 text passes `ok`; false for invalid UTF-8.
template <typename Predicate> bool everyCodePoint(const std::string& text, Predicate ok) {
    std::int32_t i = 0;
    const auto length = std::int32_t(text.size());
    while (i < length) {
        UChar32 c = 0;
        U8_NEXT(text.data(), i, length, c);
        if (c < 0 || !ok(c)) {
            return false;
        }
    }
    return true;
}

bool isBidiControl(UChar32 c) {
    return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

} // namespace

AdminResponse jsonResponse(int status, const json& body) {
    AdminResponse r;
    r.status = status;
    // Answers echo what the client sent (a path, a method, a field): bytes that are not UTF-8
    // are replaced, never thrown about. A throw here once let "GET /%94" end the wall.
    r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    return r;
}

AdminResponse errorResponse(int status, const std::string& message) {
    return jsonResponse(status, json{{"error", message}});
}

json parseBody(const AdminRequest& request) {
    if (request.body.empty()) {
        throw BadRequest("request body: expected a JSON object");
    }
    UntrustedJson parsed = parseUntrustedJson(request.body, kMaxJsonDepth);
    if (!parsed.problem.empty()) {
        throw BadRequest("request body: " + parsed.problem);
    }
    json body = std::move(parsed.doc);
    if (!body.is_object()) {
        throw BadRequest("request body: expected a JSON object");
    }
    return body;
}

bool hasControlCharacters(const std::string& text) {
    return !everyCodePoint(text, [](UChar32 c) { return !u_iscntrl(c) && !isBidiControl(c); });
}

bool isHashtagText(const std::string& tag) {
    return !tag.empty() && everyCodePoint(tag, [](UChar32 c) {
        return u_isalnum(c) || c == '_' || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
    });
}

std::string requiredString(const json& body, const char* field, std::size_t maxLength) {
    auto it = body.find(field);
    if (it == body.end() || !it->is_string() || it->get<std::string>().empty()) {
        throw BadRequest(std::string(field) + ": required, a non-empty string");
    }
    std::string value = it->get<std::string>();
    if (value.size() > maxLength) {
        throw BadRequest(std::string(field) + ": longer than " + std::to_string(maxLength) +
                         " bytes");
    }
    return value;
}

std::optional<std::string> optionalString(const json& body, const char* field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_string()) {
        throw BadRequest(std::string(field) + ": expected a string");
    }
    return it->get<std::string>();
}

std::optional<bool> optionalBool(const json& body, const char* field) {
    auto it = body.find(field);
    if (it == body.end() || it->is_null()) {
        return std::nullopt;
    }
    if (!it->is_boolean()) {
        throw BadRequest(std::string(field) + ": expected true or false");
    }
    return it->get<bool>();
}

std::string lowerCase(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return text;
}

std::string header(const AdminRequest& request, const char* name) {
    auto it = request.headers.find(name);
    return it == request.headers.end() ? std::string() : it->second;
}

bool hasControlCharactersBesidesNewlines(const std::string& text) {
    return !everyCodePoint(
        text, [](UChar32 c) { return c == '\n' || (!u_iscntrl(c) && !isBidiControl(c)); });
}

std::size_t codePointCount(const std::string& text) {
    std::size_t n = 0;
    everyCodePoint(text, [&n](UChar32) { return ++n, true; });
    return n;
}

std::string cookieValue(const std::string& header, const std::string& name) {
    std::size_t at = 0;
    while (at < header.size()) {
        const std::size_t end = std::min(header.find(';', at), header.size());
        std::string pair = header.substr(at, end - at);
        const auto first = pair.find_first_not_of(' ');
        pair = first == std::string::npos ? "" : pair.substr(first);
        if (pair.rfind(name + "=", 0) == 0) {
            return pair.substr(name.size() + 1);
        }
        at = end + 1;
    }
    return {};
}

bool fromAnotherSite(const AdminRequest& request) {
    const std::string site = header(request, "sec-fetch-site");
    return !site.empty() && site != "same-origin" && site != "none";
}

} // namespace kiosk
