// GroupLink over MQTT 3.1.1 with libmosquitto: its own network thread, a persistent session
// (the broker queues QoS 1 messages while this screen is away), reconnecting with growing
// pauses, TLS and a user name and password as the group config says.
#pragma once

#include "kiosk/config/Config.h"
#include "kiosk/group/GroupLink.h"

#include <atomic>
#include <mutex>

struct mosquitto;
struct mosquitto_message;

namespace kiosk {

class MosquittoLink : public GroupLink {
public:
    explicit MosquittoLink(GroupConfig config);
    ~MosquittoLink() override;

    void start(Handlers handlers, const std::string& subscription, const std::string& willTopic,
               const std::string& willPayload) override;
    void stop(const std::string& goodbyeTopic, const std::string& goodbyePayload) override;
    bool publish(const std::string& topic, const std::string& payload, bool retain) override;

private:
    static void onConnect(mosquitto* m, void* self, int rc);
    static void onDisconnect(mosquitto* m, void* self, int rc);
    static void onMessage(mosquitto* m, void* self, const mosquitto_message* message);

    GroupConfig config_;
    Handlers handlers_;
    std::string subscription_;
    mosquitto* client_ = nullptr;
    std::atomic<bool> connected_{false};
    std::atomic<bool> stopping_{false};
};

} // namespace kiosk
