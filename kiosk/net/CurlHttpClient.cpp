// The only file that includes curl. One easy handle per client; a client is used by one thread.
#include "kiosk/net/CurlHttpClient.h"

#include "kiosk/base/Url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace kiosk {
namespace {

struct Transfer {
    HttpResponse* response;
    std::size_t maxBytes;
    const HttpClient::ChunkHandler* onChunk = nullptr; // streaming: hand chunks over, keep none
    bool tooLarge = false;
    bool hungUp = false;
    CURL* curl = nullptr;
    std::string origin;     // "host:port" of the request's URL, when redirects must stay there
    std::string refusedHop; // the redirect target that was not allowed
    const HttpRequest* request = nullptr;
};

// "host:port" of a URL, the port filled in from the scheme; "" when it does not parse.
std::string originOf(const char* url) {
    std::string out;
    CURLU* u = curl_url();
    char* host = nullptr;
    char* port = nullptr;
    if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
        out = std::string(host) + ":" + port;
    }
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return out;
}

bool privateHostAllowed(const Transfer& t, const char* url) {
    const auto& allowed = t.request->privateHostsAllowed;
    return std::find(allowed.begin(), allowed.end(), url ? hostOf(url) : "") != allowed.end();
}

// Called for every address libcurl is about to connect to (each redirect hop, each address of
// a name): a picture from a post never gets as far as a SYN to the board, the LAN or a cloud
// metadata address, whatever the name resolved to. beforeRequest checks again for connections
// libcurl reuses.
curl_socket_t openSocket(void* user, curlsocktype purpose, curl_sockaddr* address) {
    auto* t = static_cast<Transfer*>(user);
    if (purpose == CURLSOCKTYPE_IPCXN && t->request->publicAddressesOnly) {
        char text[INET6_ADDRSTRLEN] = "";
        const void* bytes = nullptr;
        if (address->family == AF_INET) {
            bytes = &reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_addr;
        } else if (address->family == AF_INET6) {
            bytes = &reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_addr;
        }
        char* url = nullptr;
        curl_easy_getinfo(t->curl, CURLINFO_EFFECTIVE_URL, &url);
        if ((!bytes || !inet_ntop(address->family, bytes, text, sizeof text) ||
             !isPublicIpAddress(text)) &&
            !privateHostAllowed(*t, url)) {
            t->refusedHop = std::string(url ? url : "") + " (" + text + ", not a public address)";
            return CURL_SOCKET_BAD;
        }
    }
    return ::socket(address->family, address->socktype, address->protocol);
}

// Called before every request of a transfer, redirects included: a hop to another origin is
// refused (http to https on the same host is the one move allowed).
int beforeRequest(void* user, char* connectedTo, char*, int, int) {
    auto* t = static_cast<Transfer*>(user);
    char* url = nullptr;
    curl_easy_getinfo(t->curl, CURLINFO_EFFECTIVE_URL, &url);
    if (t->request->publicAddressesOnly && !isPublicIpAddress(connectedTo ? connectedTo : "") &&
        !privateHostAllowed(*t, url)) {
        t->refusedHop = std::string(url ? url : "") + " (" + (connectedTo ? connectedTo : "") +
                        ", not a public address)";
        return CURL_PREREQFUNC_ABORT;
    }
    if (t->origin.empty()) {
        return CURL_PREREQFUNC_OK;
    }
    const std::string hop = url ? originOf(url) : "";
    const auto host = [](const std::string& origin) { return origin.substr(0, origin.rfind(':')); };
    const bool upgrade =
        host(hop) == host(t->origin) && t->origin.ends_with(":80") && hop.ends_with(":443");
    if (hop == t->origin || upgrade) {
        return CURL_PREREQFUNC_OK;
    }
    t->refusedHop = url ? url : "";
    return CURL_PREREQFUNC_ABORT;
}

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    if (t->onChunk) {
        // Only a successful response is a stream; an error body is kept for its message.
        if (t->response->status == 0 || (t->response->status >= 200 && t->response->status < 300)) {
            if (!(*t->onChunk)(std::string_view(data, n))) {
                t->hungUp = true;
                return 0;
            }
            return n;
        }
    }
    if (t->response->body.size() + n > t->maxBytes) {
        t->tooLarge = true;
        return 0; // makes curl abort with CURLE_WRITE_ERROR
    }
    t->response->body.append(data, n);
    return n;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    const std::size_t n = size * count;
    std::string line(data, n);
    if (line.rfind("HTTP/", 0) == 0) {
        t->response->headers.clear(); // a redirect or 100-continue starts a new header block
        const auto space = line.find(' ');
        t->response->status = space == std::string::npos ? 0 : std::atoi(line.c_str() + space + 1);
        return n;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
        return n;
    }
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    std::string value = line.substr(colon + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t\r\n");
    value = first == std::string::npos ? "" : value.substr(first, last - first + 1);
    t->response->headers[name] = value;
    return n;
}

int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    const auto* cancel = static_cast<const std::atomic<bool>*>(user);
    return (cancel && cancel->load()) ? 1 : 0;
}

} // namespace

void initCurlGlobal() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

CurlHttpClient::CurlHttpClient(std::string userAgent, const std::atomic<bool>* cancel)
    : userAgent_(std::move(userAgent)), cancel_(cancel), handle_(curl_easy_init()) {}

CurlHttpClient::~CurlHttpClient() {
    curl_easy_cleanup(static_cast<CURL*>(handle_));
}

HttpResponse CurlHttpClient::send(const HttpRequest& request) {
    return perform(request, nullptr);
}

HttpResponse CurlHttpClient::stream(const HttpRequest& request, const ChunkHandler& onChunk) {
    return perform(request, &onChunk);
}

HttpResponse CurlHttpClient::perform(const HttpRequest& request, const ChunkHandler* onChunk) {
    HttpResponse response;
    CURL* curl = static_cast<CURL*>(handle_);
    if (!curl) {
        response.error = "could not initialise libcurl";
        return response;
    }
    curl_easy_reset(curl);
    Transfer transfer{&response, request.maxBytes, onChunk, false, false, curl, "", "", &request};
    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
        headers = curl_slist_append(headers, (name + ": " + value).c_str());
    }
    char errorBuffer[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    if (request.method == "POST") {
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, long(request.body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, userAgent_.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errorBuffer);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    // Redirects may only go to the web; a server must not bounce us into file://.
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, ""); // every encoding curl was built with
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, long(request.connectTimeout.count()));
    if (onChunk) {
        // A stream has no end; a silent one is dead. Mastodon sends heartbeats every ~10 s.
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, 0L);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, long(request.totalTimeout.count()));
    } else {
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, long(request.totalTimeout.count()));
        curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.maxBytes));
    }
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
    transfer.curl = curl;
    transfer.request = &request;
    if (request.sameOriginRedirects && request.url.rfind("file:", 0) != 0) {
        transfer.origin = originOf(request.url.c_str());
    }
    if (!transfer.origin.empty() || request.publicAddressesOnly) {
        curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, beforeRequest);
        curl_easy_setopt(curl, CURLOPT_PREREQDATA, &transfer);
    }
    if (request.publicAddressesOnly) {
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, openSocket);
        curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &transfer);
    }
    if (cancel_) {
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(cancel_));
    }

    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    if (transfer.hungUp) {
        long status = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
        response.status = int(status);
        return response; // we ended the stream on purpose
    }
    if (transfer.tooLarge || rc == CURLE_FILESIZE_EXCEEDED) {
        response = HttpResponse{};
        response.error =
            "response larger than the " + std::to_string(request.maxBytes / 1024) + " KiB limit";
        return response;
    }
    if (!transfer.refusedHop.empty()) {
        response = HttpResponse{};
        response.error = request.publicAddressesOnly && transfer.origin.empty()
                             ? "refused " + transfer.refusedHop +
                                   ": pictures from posts are fetched from the internet only"
                             : "redirected to " + transfer.refusedHop +
                                   ": an API answer may only redirect to its own host; not "
                                   "followed";
        return response;
    }
    if (rc != CURLE_OK) {
        response = HttpResponse{};
        response.error = errorBuffer[0] ? errorBuffer : curl_easy_strerror(rc);
        return response;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    // file:// has no status line; a successful read is as good as a 200.
    response.status = status == 0 ? 200 : int(status);
    return response;
}

} // namespace kiosk
