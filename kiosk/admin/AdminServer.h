// The control page's listener: GNU libmicrohttpd (its one user) on the configured address, every
// request handed to AdminApi. It is built for a network where anyone may be hostile: its own
// event loop (a slow client holds a socket, never a thread), connection limits per client
// address and in total with a few connections kept for addresses that showed the token, a
// memory cap per connection (bounding header size and count), a body limit, and a deadline for
// each whole request; no thread ever waits on a client. Uploaded files go to disk as they
// arrive, and an upload refused for being one too many is read to its end and answered, since a
// phone that is cut off mid-upload shows a network error instead. Optional HTTPS. It refuses to
// listen beyond loopback without a token.
#pragma once

#include "kiosk/admin/AdminApi.h"
#include "kiosk/base/Result.h"

#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct MHD_Daemon;
struct MHD_Connection;

namespace kiosk {

struct AdminServerOptions {
    std::string address = "127.0.0.1";
    int port = 8080;                   // 0: any free port
    bool hasToken = false;             // without one only loopback is allowed
    std::string tlsCertPem, tlsKeyPem; // both set: HTTPS
    unsigned maxConnections = 256;     // in total
    unsigned perClient = 8;            // per client address
    unsigned keptForOrganisers = 16; // of maxConnections, only for addresses that showed the token
    unsigned requestSeconds = 10;    // a whole request, headers to body, and an idle keep-alive
    std::size_t connectionMemory = 16 * 1024; // headers of one request must fit in it
    unsigned threads = 2;
    // Photo uploads arriving at once; each file part goes to disk as it arrives, so this bounds
    // disk and bandwidth, not memory (scripts/bench-uploads prints the wall's peak).
    unsigned maxUploads = 8;
    // An upload's deadline: this long, plus a second for every uploadMinRate bytes it has sent,
    // so a phone on a crowded Wi-Fi that keeps sending is not cut off with no answer, and one
    // that stalls is (VenueTest.AnUploadThatKeepsSendingOutlivesTheBaseDeadline).
    unsigned uploadSeconds = 120;
    std::size_t uploadMinRate = 16 * 1024;
    std::string spoolDir; // where file parts go; "" -> the system's temporary folder
};

class AdminServer {
public:
    explicit AdminServer(AdminApi& api);
    ~AdminServer(); // stops
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    // Binds and starts answering on threads of its own; returns the port.
    Result<int> start(const AdminServerOptions& options);
    Result<int> start(const std::string& address, int port, bool hasToken);
    void stop();

    // How many connections are open now (for tests and the flood benchmark's log).
    std::size_t openConnections() const;

private:
    // libmicrohttpd's callbacks, in AdminServer.cpp.
    friend struct Access;
    struct Open {
        int fd = -1;
        std::string client;
        double since = 0;         // steady seconds: accepted, or the last request finished
        bool busy = false;        // being answered by AdminApi: not cut off for slowness
        double allowed = 0;       // seconds this request may take; 0: options_.requestSeconds
        std::size_t received = 0; // body bytes of an upload so far: each earns it time
    };
    void housekeeping();

    AdminApi& api_;
    AdminServerOptions options_;
    MHD_Daemon* daemon_ = nullptr;
    std::thread housekeeper_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;                // guarded by mutex_
    std::map<MHD_Connection*, Open> open_; // guarded by mutex_
    unsigned uploads_ = 0;                 // guarded by mutex_
};

} // namespace kiosk
