// See AdminServer.h.
#include "kiosk/admin/AdminServer.h"

#include "kiosk/core/Config.h"
#include "kiosk/core/Log.h"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <chrono>

namespace kiosk {
namespace {

AdminRequest toRequest(const httplib::Request& in) {
    AdminRequest r;
    r.method = in.method;
    r.path = in.path;
    for (const auto& [key, value] : in.params) {
        r.query.emplace(key, value);
    }
    for (const auto& [key, value] : in.headers) {
        std::string name = key;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        r.headers.emplace(std::move(name), value);
    }
    r.body = in.body;
    r.client = in.remote_addr;
    return r;
}

} // namespace

AdminServer::AdminServer(AdminApi& api) : api_(api) {}

AdminServer::~AdminServer() {
    stop();
}

Result<int> AdminServer::start(const std::string& address, int port, bool hasToken) {
    if (!hasToken && !isLoopbackAddress(address)) {
        return Error{"admin.listen: refusing to open the control page on " + address +
                     " without admin.token; set a token or listen on 127.0.0.1"};
    }
    server_ = std::make_unique<httplib::Server>();
    // A phone or two at a time: a few threads are plenty on a small board.
    server_->new_task_queue = [] { return new httplib::ThreadPool(4); };
    server_->set_payload_max_length(AdminApi::kMaxBody);
    server_->set_read_timeout(10, 0);
    server_->set_write_timeout(10, 0);
    const auto handler = [this](const httplib::Request& req, httplib::Response& res) {
        const AdminResponse out = api_.handle(toRequest(req));
        if (out.delayMs > 0) {
            // A wrong token is answered slowly, so guessing costs time (this pool thread only).
            std::this_thread::sleep_for(std::chrono::milliseconds(out.delayMs));
        }
        res.status = out.status;
        for (const auto& [name, value] : out.headers) {
            res.set_header(name, value);
        }
        res.set_content(out.body, out.contentType);
    };
    server_->Get(".*", handler);
    server_->Post(".*", handler);
    server_->Put(".*", handler);
    server_->Delete(".*", handler);
    server_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (res.status == 413) {
            res.set_content(R"({"error":"request body: larger than the control page accepts"})",
                            "application/json");
        }
    });
    const int bound = port == 0 ? server_->bind_to_any_port(address)
                                : (server_->bind_to_port(address, port) ? port : -1);
    if (bound <= 0) {
        server_.reset();
        return Error{"admin.listen: cannot listen on " + address + ":" + std::to_string(port) +
                     " (in use, or not an address of this machine)"};
    }
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    // stop() only reaches a server that is already running: wait for it, so a quick start and
    // stop cannot leave the listener behind.
    for (int i = 0; i < 500 && !server_->is_running(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return bound;
}

void AdminServer::stop() {
    if (server_) {
        server_->stop();
    }
    if (thread_.joinable()) {
        thread_.join();
    }
    server_.reset();
}

} // namespace kiosk
