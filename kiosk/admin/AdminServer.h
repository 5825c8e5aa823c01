// The control page's listener: cpp-httplib on the configured address, a small thread pool, a
// body size limit, and every request handed to AdminApi. It refuses to listen beyond loopback
// without a token.
#pragma once

#include "kiosk/admin/AdminApi.h"
#include "kiosk/core/Result.h"

#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace kiosk {

class AdminServer {
public:
    explicit AdminServer(AdminApi& api);
    ~AdminServer(); // stops
    AdminServer(const AdminServer&) = delete;
    AdminServer& operator=(const AdminServer&) = delete;

    // Binds (port 0: any free port) and starts answering on a thread of its own; returns the port.
    // hasToken says whether the wall has a token: without one only loopback is allowed.
    Result<int> start(const std::string& address, int port, bool hasToken);
    void stop();

private:
    AdminApi& api_;
    std::unique_ptr<httplib::Server> server_;
    std::thread thread_;
};

} // namespace kiosk
