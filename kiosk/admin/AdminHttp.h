// The request and response types of the page's listener and the checks every route shares:
// JSON answers, bodies parsed with a depth limit, strings checked for length, control and
// direction-changing characters. A BadRequest thrown by a route becomes a 400 naming the field.
#pragma once

#include "kiosk/base/SpooledFile.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kiosk {

struct AdminRequest {
    std::string method;
    std::string path;
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;
    // A multipart/form-data body, split by the listener (the attendee page's upload): field name
    // -> value. The listener keeps a file's bytes on disk, under `files`; a request made in
    // memory (tests, fuzzing) may put them in `form` instead.
    std::map<std::string, std::string> form;
    std::map<std::string, std::shared_ptr<SpooledFile>> files;
    bool formBroken = false;   // the listener could not split the multipart body
    bool bodyTooLarge = false; // the listener stopped reading a body over the route's limit
    std::string client;        // remote address, for counting failed logins
};

struct AdminResponse {
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// A request body or query that does not say what the endpoint needs; the message names the field.
struct BadRequest : std::runtime_error {
    using std::runtime_error::runtime_error;
};

AdminResponse jsonResponse(int status, const nlohmann::json& body);
AdminResponse errorResponse(int status, const std::string& message);
// The body as a JSON object, refused when deeper than the page ever sends.
nlohmann::json parseBody(const AdminRequest& request);

// Control characters and the bidi overrides that turn text around on the page (U+202A-202E,
// U+2066-2069) have no place in a name, a hashtag or a block entry. Invalid UTF-8 counts too.
bool hasControlCharacters(const std::string& text);
// Like hasControlCharacters, but line breaks are allowed (a post's text has paragraphs).
bool hasControlCharactersBesidesNewlines(const std::string& text);
// A hashtag as the networks accept it: letters, digits, marks and "_" in any script.
bool isHashtagText(const std::string& tag);
// How many characters (code points) valid UTF-8 text has.
std::size_t codePointCount(const std::string& text);

std::string requiredString(const nlohmann::json& body, const char* field,
                           std::size_t maxLength = 500);
std::optional<std::string> optionalString(const nlohmann::json& body, const char* field);
std::optional<bool> optionalBool(const nlohmann::json& body, const char* field);

std::string lowerCase(std::string text);
std::string header(const AdminRequest& request, const char* name);
// True when the browser says a page of another site sent this request (Sec-Fetch-Site other
// than same-origin, or none for an address typed by hand); old browsers send no such header.
bool fromAnotherSite(const AdminRequest& request);
// The value of one cookie in a Cookie header, or "".
std::string cookieValue(const std::string& header, const std::string& name);

} // namespace kiosk
