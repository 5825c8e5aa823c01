// See MosquittoLink.h. The only file that includes mosquitto.h.
#include "kiosk/group/MosquittoLink.h"

#include "kiosk/base/Log.h"

#include <exception>
#include <mosquitto.h>

namespace kiosk {
namespace {

std::once_flag libraryReady;
constexpr int kMaxPayload = 4 * 1024 * 1024;

} // namespace

MosquittoLink::MosquittoLink(GroupConfig config) : config_(std::move(config)) {
    std::call_once(libraryReady, [] { mosquitto_lib_init(); });
    // One session per screen: the broker keeps its subscription and queued messages.
    const std::string id = "kiosk-" + config_.name + "-" + config_.screen;
    client_ = mosquitto_new(id.c_str(), false, this);
}

MosquittoLink::~MosquittoLink() {
    if (client_) {
        mosquitto_loop_stop(client_, true);
        mosquitto_destroy(client_);
    }
}

void MosquittoLink::onConnect(mosquitto* m, void* self, int rc) {
    auto* link = static_cast<MosquittoLink*>(self);
    if (rc != 0) {
        logWarn("group", link->config_.broker + ": the broker refused the connection: " +
                             mosquitto_connack_string(rc));
        return;
    }
    link->connected_ = true;
    mosquitto_subscribe(m, nullptr, link->subscription_.c_str(), 1);
    logInfo("group", "connected to " + link->config_.broker + " as " + link->config_.screen +
                         " in group " + link->config_.name);
    if (link->handlers_.connected) {
        link->handlers_.connected();
    }
}

void MosquittoLink::onDisconnect(mosquitto*, void* self, int rc) {
    auto* link = static_cast<MosquittoLink*>(self);
    link->connected_ = false;
    if (!link->stopping_) {
        logWarn("group", link->config_.broker + ": connection lost (" + mosquitto_strerror(rc) +
                             "); reconnecting");
    }
    if (link->handlers_.disconnected) {
        link->handlers_.disconnected();
    }
}

void MosquittoLink::onMessage(mosquitto*, void* self, const mosquitto_message* message) {
    auto* link = static_cast<MosquittoLink*>(self);
    if (!link->handlers_.message || !message->topic) {
        return;
    }
    if (message->payloadlen > kMaxPayload) {
        // Nothing a screen sends is this big (a window of posts is a few hundred KB).
        logWarn("group", std::string(message->topic) + ": " + std::to_string(message->payloadlen) +
                             " bytes; ignored");
        return;
    }
    GroupMessage m;
    m.topic = message->topic;
    m.payload.assign(static_cast<const char*>(message->payload), std::size_t(message->payloadlen));
    m.retained = message->retain;
    // An exception must not unwind through libmosquitto's C frames (that ends the program), and
    // a retained message would end it again at every start: one bad message is only skipped.
    try {
        link->handlers_.message(m);
    } catch (const std::exception& e) {
        logError("group", m.topic + ": " + e.what() + "; message skipped");
    }
}

void MosquittoLink::start(Handlers handlers, const std::string& subscription,
                          const std::string& willTopic, const std::string& willPayload) {
    handlers_ = std::move(handlers);
    subscription_ = subscription;
    if (!client_) {
        logError("group", "cannot create an MQTT client; this screen stays alone");
        return;
    }
    mosquitto_int_option(client_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
    // Decisions are small messages that must go at once: no Nagle delay (40 ms with the
    // receiver's delayed ACK).
    mosquitto_int_option(client_, MOSQ_OPT_TCP_NODELAY, 1);
    if (!config_.username.empty()) {
        mosquitto_username_pw_set(client_, config_.username.c_str(),
                                  config_.password.empty() ? nullptr : config_.password.c_str());
    }
    if (config_.tls) {
        const int rc =
            config_.caFile.empty()
                ? mosquitto_tls_set(client_, nullptr, "/etc/ssl/certs", nullptr, nullptr, nullptr)
                : mosquitto_tls_set(client_, config_.caFile.c_str(), nullptr, nullptr, nullptr,
                                    nullptr);
        if (rc != MOSQ_ERR_SUCCESS) {
            logError("group", "group.ca_file: " + std::string(mosquitto_strerror(rc)));
        }
    }
    mosquitto_will_set(client_, willTopic.c_str(), int(willPayload.size()), willPayload.data(), 1,
                       true);
    mosquitto_connect_callback_set(client_, &MosquittoLink::onConnect);
    mosquitto_disconnect_callback_set(client_, &MosquittoLink::onDisconnect);
    mosquitto_message_callback_set(client_, &MosquittoLink::onMessage);
    // 1 s, doubling to 10 s: a broker restarted on the LAN is found again quickly.
    mosquitto_reconnect_delay_set(client_, 1, 10, true);
    const int rc = mosquitto_connect_async(client_, config_.host.c_str(), config_.port,
                                           config_.keepaliveSeconds);
    if (rc != MOSQ_ERR_SUCCESS) {
        logWarn("group", config_.broker + ": " + mosquitto_strerror(rc) +
                             "; trying again in the background");
    }
    mosquitto_loop_start(client_); // reconnects by itself, also after a failed first try
}

void MosquittoLink::stop(const std::string& goodbyeTopic, const std::string& goodbyePayload) {
    if (!client_ || stopping_.exchange(true)) {
        return;
    }
    if (connected_) {
        mosquitto_publish(client_, nullptr, goodbyeTopic.c_str(), int(goodbyePayload.size()),
                          goodbyePayload.data(), 1, true);
    }
    mosquitto_disconnect(client_); // sent after the goodbye: the loop writes in order
    mosquitto_loop_stop(client_, false);
    handlers_ = {};
}

bool MosquittoLink::publish(const std::string& topic, const std::string& payload, bool retain) {
    if (!client_ || !connected_) {
        return false;
    }
    return mosquitto_publish(client_, nullptr, topic.c_str(), int(payload.size()), payload.data(),
                             1, retain) == MOSQ_ERR_SUCCESS;
}

} // namespace kiosk
