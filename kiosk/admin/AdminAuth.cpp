// See AdminAuth.h.
#include "kiosk/admin/AdminAuth.h"

#include "kiosk/base/Log.h"

#include <algorithm>
#include <random>
#include <utility>

namespace kiosk {

bool constantTimeEquals(const std::string& a, const std::string& b) {
    unsigned diff = unsigned(a.size() ^ b.size());
    const std::size_t n = std::max(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= unsigned(x ^ y);
    }
    return diff == 0;
}

std::string randomToken() {
    std::random_device device; // /dev/urandom on Linux
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 8; ++i) {
        const std::uint32_t word = device();
        for (int shift = 28; shift >= 0; shift -= 4) {
            out += hex[(word >> shift) & 0xF];
        }
    }
    return out;
}

AdminAuth::AdminAuth(std::string token, UnixTime sessionSeconds)
    : token_(std::move(token)), sessionSeconds_(sessionSeconds) {}

bool AdminAuth::tokenMatches(const std::string& candidate) const {
    return !token_.empty() && constantTimeEquals(candidate, token_);
}

void AdminAuth::offerSetupCode(std::string code) {
    std::lock_guard lock(mutex_);
    setupCode_ = std::move(code);
}

void AdminAuth::onFirstLogin(std::function<void()> callback) {
    std::lock_guard lock(mutex_);
    onFirstLogin_ = std::move(callback);
}

AdminAuth::Attempt AdminAuth::attempt(const std::string& client, const std::string& token,
                                      UnixTime now) {
    std::function<void()> firstLogin;
    const Attempt result = check(client, token, now, firstLogin);
    if (firstLogin) {
        firstLogin();
    }
    return result;
}

AdminAuth::Attempt AdminAuth::check(const std::string& client, const std::string& token,
                                    UnixTime now, std::function<void()>& firstLogin) {
    std::lock_guard lock(mutex_);
    Failures& f = failures_[client];
    if (now - f.last > 15 * 60) {
        f.count = 0; // a quiet quarter of an hour forgives earlier mistakes
    }
    if (f.blockedUntil > now) {
        return {false, int(f.blockedUntil - now)};
    }
    const bool setupCode = !setupCode_.empty() && constantTimeEquals(token, setupCode_);
    if (!tokenMatches(token) && !setupCode) {
        ++f.count;
        f.last = now;
        if (f.count >= kFreeAttempts) {
            // Doubles with every further failure: 30 s, 1 min, 2 min, capped at kMaxLockout.
            // Kept short: anyone behind the same address (a NAT) shares it with the organiser,
            // and a token of 12+ characters needs far more than 5 guesses a few minutes.
            const int extra = std::min(f.count - kFreeAttempts, 7);
            f.blockedUntil = now + std::min<UnixTime>(kMaxLockout, UnixTime(30) << extra);
        }
        logWarn("admin", "wrong token from " + client + " (" + std::to_string(f.count) + ")");
        return {false, f.blockedUntil > now ? int(f.blockedUntil - now) : 0};
    }
    failures_.erase(client);
    trustedUntil_[client] = now + sessionSeconds_;
    setupCode_.clear(); // spent, whichever opened the page
    firstLogin = std::exchange(onFirstLogin_, nullptr);
    return {true, 0};
}

AdminAuth::LoginResult AdminAuth::login(const std::string& client, const std::string& token,
                                        UnixTime now) {
    const Attempt a = attempt(client, token, now);
    if (!a.ok) {
        return {std::nullopt, a};
    }
    std::lock_guard lock(mutex_);
    // Expired sessions are dropped here, so the map never grows without bound.
    std::erase_if(sessions_, [now](const auto& kv) { return kv.second.expires <= now; });
    Session s{randomToken(), randomToken(), now + sessionSeconds_};
    sessions_[s.id] = s;
    logInfo("admin", "organiser logged in from " + client);
    return {s, a};
}

bool AdminAuth::trusted(const std::string& client, UnixTime now) {
    std::lock_guard lock(mutex_);
    std::erase_if(trustedUntil_, [now](const auto& kv) { return kv.second <= now; });
    return trustedUntil_.count(client) > 0;
}

void AdminAuth::logout(const std::string& sessionId) {
    std::lock_guard lock(mutex_);
    sessions_.erase(sessionId);
}

std::optional<Session> AdminAuth::session(const std::string& sessionId, UnixTime now) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(sessionId);
    if (it == sessions_.end()) {
        return std::nullopt;
    }
    if (it->second.expires <= now) {
        sessions_.erase(it);
        return std::nullopt;
    }
    return it->second;
}

} // namespace kiosk
