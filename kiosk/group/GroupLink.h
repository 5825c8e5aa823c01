// What a wall group needs from its message broker: publish (QoS 1, retained or not), subscribe,
// a last will announced at connect, and to be told when the connection comes and goes. The
// MQTT client (libmosquitto) is behind this in MosquittoLink.cpp alone, so the group's logic is
// tested without a broker (tests/GroupTest.cpp) and against a real one (tests/GroupBrokerTest).
#pragma once

#include <functional>
#include <string>

namespace kiosk {

struct GroupMessage {
    std::string topic;
    std::string payload;
    bool retained = false; // kept by the broker from before this subscription
};

class GroupLink {
public:
    struct Handlers {
        std::function<void()> connected; // (again): subscriptions are renewed by the link
        std::function<void()> disconnected;
        std::function<void(const GroupMessage&)> message;
    };
    virtual ~GroupLink() = default;
    // willTopic gets willPayload (retained) when this member vanishes without saying goodbye.
    virtual void start(Handlers handlers, const std::string& subscription,
                       const std::string& willTopic, const std::string& willPayload) = 0;
    // Publishes the goodbye (retained) and disconnects; no handler runs after this returns.
    virtual void stop(const std::string& goodbyeTopic, const std::string& goodbyePayload) = 0;
    // False when it could not even be queued (not connected): the caller keeps it for later.
    virtual bool publish(const std::string& topic, const std::string& payload, bool retain) = 0;
};

} // namespace kiosk
