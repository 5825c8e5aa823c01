// libcurl implementation of HttpClient: timeouts, a response size cap, gzip, TLS verification
// and a User-Agent naming the project. file:// works too, so the offline demo takes the same path.
#pragma once

#include "kiosk/net/HttpClient.h"

#include <atomic>
#include <string>

namespace kiosk {

class CurlHttpClient final : public HttpClient {
public:
    // cancel, when given, aborts a transfer in flight as soon as it becomes true (quitting).
    explicit CurlHttpClient(std::string userAgent, const std::atomic<bool>* cancel = nullptr);
    ~CurlHttpClient() override;
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    HttpResponse send(const HttpRequest& request) override;
    HttpResponse stream(const HttpRequest& request, const ChunkHandler& onChunk) override;

private:
    HttpResponse perform(const HttpRequest& request, const ChunkHandler* onChunk);

    std::string userAgent_;
    const std::atomic<bool>* cancel_;
    void* handle_; // CURL*, reused so connections and TLS sessions are kept alive
};

// Process-wide libcurl setup; call once from main before any thread starts.
void initCurlGlobal();

} // namespace kiosk
