// The one door to the network. Sources build HttpRequests and read HttpResponses; the real
// client is libcurl (CurlHttpClient), tests use FakeHttpClient. Transport failures come back as
// a response with status 0 and an error sentence, never as an exception.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct HttpRequest {
    std::string url;
    std::string method = "GET"; // or "POST" (Bluesky sessions)
    std::string body;           // sent with POST
    std::vector<std::pair<std::string, std::string>> headers;
    std::chrono::seconds connectTimeout{10};
    std::chrono::seconds totalTimeout{30};
    std::size_t maxBytes = 8 * 1024 * 1024;
    // API requests: a redirect may only go to the same host and port (http to https on the
    // default ports included). A hostile or hijacked API server must not be able to send the
    // wall's requests to another service, such as one on the venue's LAN or the board itself.
    bool sameOriginRedirects = false;
    // URLs that come from posts (avatars, pictures): every hop must connect to a public address
    // (checked on the address actually connected to, so DNS rebinding does not get round it),
    // except to these hosts, which the config names (a venue's own Mastodon on the LAN).
    bool publicAddressesOnly = false;
    std::vector<std::string> privateHostsAllowed;
};

struct HttpResponse {
    int status = 0;                             // 0 when the transfer itself failed
    std::string error;                          // set when status == 0: what went wrong, for humans
    std::map<std::string, std::string> headers; // names lower-cased
    std::string body;

    bool ok() const { return status >= 200 && status < 300; }
    std::string header(const std::string& lowerName) const;
};

class HttpClient {
public:
    virtual ~HttpClient() = default;
    virtual HttpResponse send(const HttpRequest& request) = 0;
    // A long-lived response (server-sent events): onChunk sees the body as it arrives and
    // returns false to hang up. Returns when the stream ends; the body is not kept. This
    // default hands over the whole body of send() at once, which is what fakes need.
    using ChunkHandler = std::function<bool(std::string_view chunk)>;
    virtual HttpResponse stream(const HttpRequest& request, const ChunkHandler& onChunk);
};

// One sentence for health lines and logs: "HTTP 500 from URL" or the transport error.
std::string describeFailure(const HttpRequest& request, const HttpResponse& response);

} // namespace kiosk
