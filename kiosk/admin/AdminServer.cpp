// See AdminServer.h. The only file that includes libmicrohttpd.
#include "kiosk/admin/AdminServer.h"

#include "kiosk/base/Log.h"
#include "kiosk/config/Config.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <filesystem>

namespace kiosk {
namespace {

double steadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::string addressText(const sockaddr* addr) {
    char text[INET6_ADDRSTRLEN] = {};
    if (addr && addr->sa_family == AF_INET) {
        ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, text,
                    sizeof text);
    } else if (addr && addr->sa_family == AF_INET6) {
        ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, text,
                    sizeof text);
    }
    return text;
}

std::string clientOf(MHD_Connection* connection) {
    const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return info ? addressText(info->client_addr) : std::string();
}

// A multipart form holds a handful of fields: more is not the attendee page.
constexpr std::size_t kMaxFormFields = 8;

// One HTTP request while it arrives and is answered (libmicrohttpd's per-request pointer).
struct Exchange {
    std::string body;
    std::size_t limit = AdminApi::kMaxBody;
    std::size_t received = 0;
    bool tooLarge = false;
    bool busy = false;   // too many uploads at once: the body is read and dropped, then answered
    bool upload = false; // counted in the server's uploads
    MHD_PostProcessor* form = nullptr; // splits a multipart/form-data body
    std::map<std::string, std::string> fields;
    std::map<std::string, std::shared_ptr<SpooledFile>> files;
    std::string spoolDir;
    bool formBroken = false;

    Exchange() = default;
    Exchange(const Exchange&) = delete;
    Exchange& operator=(const Exchange&) = delete;
    ~Exchange() {
        if (form) {
            MHD_destroy_post_processor(form);
        }
    }
};

MHD_Result formField(void* cls, MHD_ValueKind, const char* key, const char* filename, const char*,
                     const char*, const char* data, uint64_t, size_t size) {
    auto* exchange = static_cast<Exchange*>(cls);
    const std::string name = key ? key : "";
    if (filename) {
        auto [it, added] = exchange->files.try_emplace(name);
        if (added) {
            if (exchange->fields.size() + exchange->files.size() > kMaxFormFields) {
                exchange->formBroken = true;
                return MHD_NO;
            }
            auto file = SpooledFile::create(exchange->spoolDir);
            if (!file) {
                logError("admin", file.error());
                exchange->formBroken = true;
                return MHD_NO;
            }
            it->second = std::move(file.value());
        }
        if (size > 0 && !it->second->append(data, size)) {
            logError("admin",
                     "cannot write an upload to " + exchange->spoolDir + " (is the disk full?)");
            exchange->formBroken = true;
            return MHD_NO;
        }
        return MHD_YES;
    }
    auto [it, added] = exchange->fields.try_emplace(name);
    if (added && exchange->fields.size() + exchange->files.size() > kMaxFormFields) {
        exchange->formBroken = true;
        return MHD_NO;
    }
    if (size > 0) {
        it->second.append(data, size);
    }
    return MHD_YES;
}

MHD_Result sendAnswer(MHD_Connection* connection, const AdminResponse& out) {
    MHD_Response* response = MHD_create_response_from_buffer(
        out.body.size(), const_cast<char*>(out.body.data()), MHD_RESPMEM_MUST_COPY);
    if (!response) {
        return MHD_NO;
    }
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, out.contentType.c_str());
    for (const auto& [name, value] : out.headers) {
        MHD_add_response_header(response, name.c_str(), value.c_str());
    }
    const MHD_Result queued = MHD_queue_response(connection, unsigned(out.status), response);
    MHD_destroy_response(response);
    return queued;
}

MHD_Result collectHeader(void* cls, MHD_ValueKind, const char* key, const char* value) {
    auto* request = static_cast<AdminRequest*>(cls);
    std::string name = key ? key : "";
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    request->headers.emplace(std::move(name), value ? value : "");
    return MHD_YES;
}

MHD_Result collectArgument(void* cls, MHD_ValueKind, const char* key, const char* value) {
    static_cast<AdminRequest*>(cls)->query.emplace(key ? key : "", value ? value : "");
    return MHD_YES;
}

} // namespace

// libmicrohttpd's callbacks; a friend of AdminServer.
struct Access {
    static MHD_Result accept(void* cls, const sockaddr* addr, socklen_t) {
        auto* self = static_cast<AdminServer*>(cls);
        const std::string client = addressText(addr);
        std::size_t open = 0;
        {
            std::lock_guard lock(self->mutex_);
            open = self->open_.size();
        }
        // The last few connections are kept for addresses that showed the token lately, so a
        // crowd of strangers' sockets cannot take the panic button away from the organiser.
        const std::size_t forStrangers =
            self->options_.maxConnections - self->options_.keptForOrganisers;
        if (open >= forStrangers && !self->api_.trustedClient(client)) {
            return MHD_NO;
        }
        return MHD_YES;
    }

    static void connection(void* cls, MHD_Connection* connection, void**,
                           MHD_ConnectionNotificationCode code) {
        auto* self = static_cast<AdminServer*>(cls);
        std::lock_guard lock(self->mutex_);
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            const auto* info =
                MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
            self->open_[connection] = AdminServer::Open{
                info ? int(info->connect_fd) : -1, clientOf(connection), steadySeconds(), false};
        } else {
            // Called before libmicrohttpd closes the socket, so housekeeping never touches a
            // descriptor number that was handed to someone else.
            self->open_.erase(connection);
        }
    }

    static void completed(void* cls, MHD_Connection* connection, void** state,
                          MHD_RequestTerminationCode) {
        auto* self = static_cast<AdminServer*>(cls);
        auto* exchange = static_cast<Exchange*>(*state);
        const bool upload = exchange && exchange->upload;
        delete exchange;
        *state = nullptr;
        std::lock_guard lock(self->mutex_);
        if (upload) {
            --self->uploads_;
        }
        if (auto it = self->open_.find(connection); it != self->open_.end()) {
            it->second.since = steadySeconds(); // the next request's deadline starts now
            it->second.busy = false;
            it->second.allowed = 0;
            it->second.received = 0;
        }
    }

    // Sets up a request from its headers; true when it is answered without reading the body.
    static bool begin(AdminServer* self, Exchange& exchange, MHD_Connection* connection,
                      const std::string& method, const std::string& url) {
        exchange.limit = self->api_.bodyLimit(method, url);
        const char* length =
            MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Length");
        if (length && std::strtoull(length, nullptr, 10) > exchange.limit) {
            exchange.tooLarge = true; // answered at once, the body is never read
            return true;
        }
        if (exchange.limit <= AdminApi::kMaxBody) {
            return false;
        }
        // An upload: bounded in number and given longer than the usual deadline, since a phone
        // on a busy network sends a photo slowly. One too many is still read to its end (and
        // dropped) so that the phone gets the answer: cut off, it would show a network error.
        {
            std::lock_guard lock(self->mutex_);
            if (auto it = self->open_.find(connection); it != self->open_.end()) {
                it->second.allowed = self->options_.uploadSeconds;
            }
            if (self->uploads_ >= self->options_.maxUploads) {
                exchange.busy = true;
                return false;
            }
            ++self->uploads_;
            exchange.upload = true;
        }
        exchange.spoolDir = self->options_.spoolDir.empty()
                                ? std::filesystem::temp_directory_path().string()
                                : self->options_.spoolDir;
        const char* type = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Content-Type");
        if (type && std::strncmp(type, "multipart/form-data", 19) == 0) {
            exchange.form = MHD_create_post_processor(connection, 16 * 1024, &formField, &exchange);
        }
        if (!exchange.form) {
            exchange.formBroken = true; // not a form the attendee page sends
        }
        return false;
    }

    static MHD_Result request(void* cls, MHD_Connection* connection, const char* url,
                              const char* method, const char*, const char* upload,
                              size_t* uploadSize, void** state) {
        auto* self = static_cast<AdminServer*>(cls);
        auto* exchange = static_cast<Exchange*>(*state);
        if (!exchange) {
            *state = exchange = new Exchange();
            if (!begin(self, *exchange, connection, method ? method : "", url ? url : "")) {
                return MHD_YES; // the body follows
            }
        } else if (*uploadSize > 0) {
            exchange->received += *uploadSize;
            if (exchange->upload || exchange->busy) {
                std::lock_guard lock(self->mutex_);
                if (auto it = self->open_.find(connection); it != self->open_.end()) {
                    it->second.received = exchange->received;
                }
            }
            if (exchange->received > exchange->limit) {
                exchange->tooLarge = true;
            } else if (exchange->tooLarge || exchange->formBroken || exchange->busy) {
                // the rest of a refused body is read and dropped
            } else if (exchange->form) {
                if (MHD_post_process(exchange->form, upload, *uploadSize) == MHD_NO) {
                    exchange->formBroken = true;
                }
            } else {
                exchange->body.append(upload, *uploadSize);
            }
            *uploadSize = 0;
            return MHD_YES;
        }
        if (exchange->busy) {
            AdminResponse out = errorResponse(
                503, "Many photos are arriving at once; please send again in a few seconds.");
            out.headers.emplace_back("Retry-After", "5");
            out.headers.emplace_back("Connection", "close");
            return sendAnswer(connection, out);
        }
        if (exchange->form) {
            // Destroying it hands over what it still buffers and says whether the form ended.
            if (MHD_destroy_post_processor(exchange->form) == MHD_NO) {
                exchange->formBroken = true;
            }
            exchange->form = nullptr;
        }
        AdminRequest in;
        in.method = method ? method : "";
        in.path = url ? url : "";
        in.client = clientOf(connection);
        MHD_get_connection_values(connection, MHD_HEADER_KIND, collectHeader, &in);
        MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, collectArgument, &in);
        in.body = std::move(exchange->body);
        in.form = std::move(exchange->fields);
        in.files = std::move(exchange->files);
        in.formBroken = exchange->formBroken;
        in.bodyTooLarge = exchange->tooLarge;
        {
            std::lock_guard lock(self->mutex_);
            if (auto it = self->open_.find(connection); it != self->open_.end()) {
                it->second.busy = true;
            }
        }
        AdminResponse out = self->api_.handle(in);
        if (exchange->tooLarge) {
            out.headers.emplace_back("Connection", "close");
        }
        return sendAnswer(connection, out);
    }
};

AdminServer::AdminServer(AdminApi& api) : api_(api) {}

AdminServer::~AdminServer() {
    stop();
}

Result<int> AdminServer::start(const std::string& address, int port, bool hasToken) {
    AdminServerOptions options;
    options.address = address;
    options.port = port;
    options.hasToken = hasToken;
    return start(options);
}

Result<int> AdminServer::start(const AdminServerOptions& options) {
    if (!options.hasToken && !isLoopbackAddress(options.address)) {
        return Error{"admin.listen: refusing to open the control page on " + options.address +
                     " without admin.token; set a token or listen on 127.0.0.1"};
    }
    options_ = options;
    options_.keptForOrganisers = std::min(options_.keptForOrganisers, options_.maxConnections / 2);
    options_.uploadMinRate = std::max<std::size_t>(options_.uploadMinRate, 1);
    const std::string address = options.address == "localhost" ? "127.0.0.1" : options.address;
    sockaddr_in v4{};
    sockaddr_in6 v6{};
    const sockaddr* bindTo = nullptr;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD;
    if (::inet_pton(AF_INET, address.c_str(), &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(std::uint16_t(options.port));
        bindTo = reinterpret_cast<const sockaddr*>(&v4);
    } else if (::inet_pton(AF_INET6, address.c_str(), &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(std::uint16_t(options.port));
        bindTo = reinterpret_cast<const sockaddr*>(&v6);
        // "::" means every address, IPv4 ones too, as it does for most servers.
        flags |= address == "::" ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
    } else {
        return Error{"admin.listen: \"" + options.address + "\" is not an IP address"};
    }
    const bool tls = !options.tlsCertPem.empty() && !options.tlsKeyPem.empty();
    if (tls) {
        flags |= MHD_USE_TLS;
    }
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    // clang-format off
    daemon_ = MHD_start_daemon(
        flags, std::uint16_t(options.port), &Access::accept, this, &Access::request, this,
        MHD_OPTION_SOCK_ADDR, bindTo,
        MHD_OPTION_THREAD_POOL_SIZE, options.threads,
        MHD_OPTION_CONNECTION_LIMIT, options_.maxConnections,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, options.perClient,
        MHD_OPTION_CONNECTION_TIMEOUT, options.requestSeconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, options.connectionMemory,
        MHD_OPTION_NOTIFY_CONNECTION, &Access::connection, this,
        MHD_OPTION_NOTIFY_COMPLETED, &Access::completed, this,
        tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, options.tlsCertPem.c_str(),
        MHD_OPTION_HTTPS_MEM_KEY, options.tlsKeyPem.c_str(),
        MHD_OPTION_END);
    // clang-format on
    if (!daemon_) {
        return Error{"admin.listen: cannot listen on " + options.address + ":" +
                     std::to_string(options.port) +
                     (tls ? " (in use, not an address of this machine, or the certificate and "
                            "key do not load)"
                          : " (in use, or not an address of this machine)")};
    }
    const auto* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
    const int bound = info ? int(info->port) : options.port;
    housekeeper_ = std::thread([this] { housekeeping(); });
    return bound;
}

void AdminServer::housekeeping() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        const double now = steadySeconds();
        // A request that has taken longer than the deadline (a client sending its headers or
        // body a byte at a time, or a keep-alive left idle) is cut off: shutting the socket down
        // makes libmicrohttpd close it on its own thread.
        for (auto& [connection, open] : open_) {
            const double allowed =
                open.allowed > 0
                    ? open.allowed + double(open.received) / double(options_.uploadMinRate)
                    : options_.requestSeconds;
            if (!open.busy && open.fd >= 0 && now - open.since > allowed) {
                ::shutdown(open.fd, SHUT_RDWR);
                open.fd = -1;
            }
        }
        wake_.wait_for(lock, std::chrono::milliseconds(250));
    }
}

std::size_t AdminServer::openConnections() const {
    std::lock_guard lock(mutex_);
    return open_.size();
}

void AdminServer::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        wake_.notify_all();
    }
    if (housekeeper_.joinable()) {
        housekeeper_.join();
    }
    if (daemon_) {
        MHD_stop_daemon(daemon_);
        daemon_ = nullptr;
    }
}

} // namespace kiosk
