// Who may use the control page. The wall's token opens it: sent as "Authorization: Bearer" by
// scripts, or typed once into the login form, which starts a session kept in an HttpOnly,
// SameSite=Strict cookie. A session carries its own CSRF token that every state change must echo
// in a header. Failed logins are counted per client: each one is answered slowly, and after a
// few the client must wait. Thread-safe (the server answers on several threads); time is a
// parameter.
#pragma once

#include "kiosk/core/Time.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace kiosk {

struct Session {
    std::string id;
    std::string csrf;
    UnixTime expires = 0;
};

// Compares in time that depends only on the lengths, so a wrong token's prefix tells nothing.
bool constantTimeEquals(const std::string& a, const std::string& b);
// 32 random bytes as hex, from the system's secure source.
std::string randomToken();

class AdminAuth {
public:
    AdminAuth(std::string token, UnixTime sessionSeconds);

    bool tokenMatches(const std::string& candidate) const;

    struct Attempt {
        bool ok = false;
        int retryAfter = 0; // seconds, when the client must wait before trying again
        int delayMs = 0;    // how long to hold a failed answer back
    };
    // Checks a token a client sent (login form or Authorization header), counting failures.
    Attempt attempt(const std::string& client, const std::string& token, UnixTime now);

    struct LoginResult {
        std::optional<Session> session;
        Attempt attempt;
    };
    LoginResult login(const std::string& client, const std::string& token, UnixTime now);
    void logout(const std::string& sessionId);
    std::optional<Session> session(const std::string& sessionId, UnixTime now);

    static constexpr int kFreeAttempts = 5; // failures before a client must wait

private:
    struct Failures {
        int count = 0;
        UnixTime last = 0;
        UnixTime blockedUntil = 0;
    };

    std::string token_;
    UnixTime sessionSeconds_;
    std::mutex mutex_;
    std::map<std::string, Session> sessions_;   // guarded by mutex_
    std::map<std::string, Failures> failures_; // guarded by mutex_; by client address
};

} // namespace kiosk
