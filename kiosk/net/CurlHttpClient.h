// libcurl implementation of HttpClient: timeouts, a response size cap, gzip, TLS verification
// and a User-Agent naming the project. file:// works too, so the offline demo takes the same path.
#pragma once

#include "kiosk/net/HttpClient.h"

#include <string>

namespace kiosk {

class CurlHttpClient final : public HttpClient {
public:
    explicit CurlHttpClient(std::string userAgent);
    ~CurlHttpClient() override;
    CurlHttpClient(const CurlHttpClient&) = delete;
    CurlHttpClient& operator=(const CurlHttpClient&) = delete;

    HttpResponse get(const HttpRequest& request) override;

private:
    std::string userAgent_;
    void* handle_; // CURL*, reused so connections and TLS sessions are kept alive
};

// Process-wide libcurl setup; call once from main before any thread starts.
void initCurlGlobal();

} // namespace kiosk
