// Who may use the control page. The wall's token opens it: sent as "Authorization: Bearer" by
// scripts, or typed once into the login form, which starts a session kept in an HttpOnly,
// SameSite=Strict cookie. A session carries its own CSRF token that every state change must echo
// in a header. Failed logins are counted per client: after a few the client must wait (30 s,
// doubling up to 5 minutes); nothing is slowed down by sleeping. Thread-safe (the server answers on
// several threads); time is a parameter.
#pragma once

#include "kiosk/base/Time.h"

#include <functional>
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
    const std::string& token() const { return token_; }

    // A code that opens the page once, like the token (the setup card's link); the first login
    // by either spends it. "" withdraws it.
    void offerSetupCode(std::string code);
    // Called once, after the first login by the token or the code, outside the lock.
    void onFirstLogin(std::function<void()> callback);

    struct Attempt {
        bool ok = false;
        int retryAfter = 0; // seconds, when the client must wait before trying again
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

    // Whether this address sent the right token within the last session length: the listener
    // keeps a few connections free for such addresses when strangers fill the rest.
    bool trusted(const std::string& client, UnixTime now);

    static constexpr int kFreeAttempts = 5;      // failures before a client must wait
    static constexpr UnixTime kMaxLockout = 300; // seconds

private:
    Attempt check(const std::string& client, const std::string& token, UnixTime now,
                  std::function<void()>& firstLogin);

    struct Failures {
        int count = 0;
        UnixTime last = 0;
        UnixTime blockedUntil = 0;
    };

    std::string token_;
    UnixTime sessionSeconds_;
    std::mutex mutex_;
    std::string setupCode_;                        // guarded by mutex_
    std::function<void()> onFirstLogin_;           // guarded by mutex_; cleared once called
    std::map<std::string, Session> sessions_;      // guarded by mutex_
    std::map<std::string, Failures> failures_;     // guarded by mutex_; by client address
    std::map<std::string, UnixTime> trustedUntil_; // guarded by mutex_; by client address
};

} // namespace kiosk
