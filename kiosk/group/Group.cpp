// See Group.h. Outgoing messages are gathered under the lock and sent after it is released:
// a link may deliver a message back on the calling thread.
#include "kiosk/group/Group.h"

#include "kiosk/base/JsonField.h"
#include "kiosk/base/Log.h"
#include "kiosk/base/Rendezvous.h"

#include <algorithm>

namespace kiosk {
namespace {

using nlohmann::json;

} // namespace

struct Outgoing {
    std::string topic;
    std::string payload;
};

Group::Group(GroupConfig config, GroupLink& link, Database* db, ClockMs clock, Hooks hooks)
    : config_(std::move(config)), link_(link), db_(db), clock_(std::move(clock)),
      hooks_(std::move(hooks)), base_("kiosk/" + config_.name + "/") {
    if (db_) {
        for (auto& [change, pending] : db_->loadGroupDecisions()) {
            if (pending) {
                pending_.insert(change.key);
            }
            lastStamp_ = std::max(lastStamp_, change.atMs);
            decisions_[change.key] = std::move(change);
        }
    }
}

Group::~Group() {
    stop();
}

std::string Group::presence(bool online) const {
    return json{{"screen", config_.screen}, {"online", online},  {"sources", labels_},
                {"fetches", owned_},        {"health", health_}, {"at", clock_()}}
        .dump();
}

void Group::start(std::vector<std::string> sourceLabels, Ticking ticking) {
    {
        std::lock_guard lock(mutex_);
        labels_ = std::move(sourceLabels);
        startedMs_ = clock_();
        stopping_ = false;
    }
    GroupLink::Handlers handlers;
    handlers.connected = [this] { onConnected(); };
    handlers.disconnected = [this] { onDisconnected(); };
    handlers.message = [this](const GroupMessage& m) { onMessage(m); };
    std::string offline;
    {
        std::lock_guard lock(mutex_);
        offline = presence(false);
    }
    link_.start(std::move(handlers), base_ + "#", topic("members/" + config_.screen), offline);
    if (ticking == Ticking::ByCaller) {
        return;
    }
    ticker_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            wake_.wait_for(lock, std::chrono::milliseconds(250));
            if (stopping_) {
                break;
            }
            lock.unlock();
            tick();
            lock.lock();
        }
    });
}

void Group::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !ticker_.joinable()) {
            return;
        }
        stopping_ = true;
    }
    wake_.notify_all();
    if (ticker_.joinable()) {
        ticker_.join();
    }
    std::string offline;
    {
        std::lock_guard lock(mutex_);
        offline = presence(false);
    }
    link_.stop(topic("members/" + config_.screen), offline);
}

bool Group::recompute(std::int64_t now) {
    std::vector<std::string> next;
    if (connected_) {
        if (now - connectedMs_ < kSettleMs) {
            return false;
        }
        for (const auto& label : labels_) {
            std::vector<std::string> candidates = {config_.screen};
            for (const auto& [screen, m] : members_) {
                if (screen != config_.screen && m.online &&
                    std::find(m.sources.begin(), m.sources.end(), label) != m.sources.end()) {
                    candidates.push_back(screen);
                }
            }
            if (rendezvousOwner(label, candidates) == config_.screen) {
                next.push_back(label);
            }
        }
    } else {
        const bool longLost = lostMs_ > 0 && now - lostMs_ >= kAloneAfterMs;
        const bool neverCame = lostMs_ == 0 && now - startedMs_ >= kAloneAtStartMs;
        if (!longLost && !neverCame) {
            return false; // keep what was decided; the others probably still fetch theirs
        }
        next = labels_; // alone: every source, so the wall never goes stale
    }
    const bool changed = !decided_ || next != owned_;
    if (changed && decided_ && !connected_) {
        logWarn("group", "no broker for a while: this screen fetches every source itself");
    }
    decided_ = true;
    owned_ = std::move(next);
    return changed;
}

void Group::runOwned() {
    std::vector<std::string> owned;
    {
        std::lock_guard lock(mutex_);
        owned = owned_;
    }
    logInfo("group", config_.screen + " fetches " + std::to_string(owned.size()) + " of the " +
                         "group's sources now");
    if (hooks_.owned) {
        hooks_.owned(owned);
    }
}

void Group::tick() {
    const std::int64_t now = clock_();
    std::vector<Outgoing> out;
    bool changed = false;
    {
        std::lock_guard lock(mutex_);
        changed = recompute(now);
        if (connected_ && (changed || now - presenceMs_ >= 15'000)) {
            presenceMs_ = now;
            out.push_back({topic("members/" + config_.screen), presence(true)});
        }
    }
    for (const auto& o : out) {
        link_.publish(o.topic, o.payload, true);
    }
    if (changed) {
        runOwned();
    }
}

void Group::onConnected() {
    const std::int64_t now = clock_();
    std::vector<Outgoing> out;
    {
        std::lock_guard lock(mutex_);
        connected_ = true;
        connectedMs_ = now;
        lostMs_ = 0;
        presenceMs_ = now;
        out.push_back({topic("members/" + config_.screen), presence(true)});
        // Made while the broker was away: the others learn them now (newest still wins).
        for (const auto& key : pending_) {
            const SharedChange& c = decisions_.at(key);
            out.push_back({topic("decisions/" + contentId(key)), toJson(c).dump()});
        }
        if (!showing_.empty()) {
            out.push_back({topic("showing/" + config_.screen), json(showing_).dump()});
        }
    }
    std::vector<std::string> sent;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (link_.publish(out[i].topic, out[i].payload, true) && i > 0) {
            sent.push_back(out[i].topic);
        }
    }
    std::lock_guard lock(mutex_);
    for (auto it = pending_.begin(); it != pending_.end();) {
        const std::string t = topic("decisions/" + contentId(*it));
        if (std::find(sent.begin(), sent.end(), t) != sent.end()) {
            if (db_) {
                db_->saveGroupDecision(decisions_.at(*it), false);
            }
            it = pending_.erase(it);
        } else {
            ++it;
        }
    }
}

void Group::onDisconnected() {
    std::lock_guard lock(mutex_);
    if (connected_) {
        lostMs_ = clock_();
    }
    connected_ = false;
}

void Group::onMessage(const GroupMessage& message) {
    if (message.topic.rfind(base_, 0) != 0) {
        return;
    }
    const std::string rest = message.topic.substr(base_.size());
    const UntrustedJson parsed = parseUntrustedJson(message.payload);
    if (!parsed.problem.empty()) {
        logWarn("group", message.topic + ": " + parsed.problem + "; ignored");
        return;
    }
    const json& doc = parsed.doc;
    const auto slash = rest.find('/');
    const std::string kind = rest.substr(0, slash);
    const std::string name = slash == std::string::npos ? "" : rest.substr(slash + 1);
    std::vector<Outgoing> out;
    std::optional<SharedChange> apply;
    bool changed = false;
    std::vector<Post> posts;
    std::vector<std::string> deleted;
    std::optional<std::pair<std::string, std::string>> cursor;
    {
        std::lock_guard lock(mutex_);
        if (kind == "members" && name != config_.screen && doc.is_object()) {
            Member& m = members_[name];
            m.online = flagAt(doc, "online");
            m.sources = textsAt(doc, "sources");
            m.fetches = textsAt(doc, "fetches");
            m.health = textsAt(doc, "health");
            ++elsewhereVersion_; // an offline screen shows nothing any more
            changed = recompute(clock_());
        } else if (kind == "decisions") {
            std::optional<SharedChange> c = sharedChangeFromJson(doc);
            const auto it = c ? decisions_.find(c->key) : decisions_.end();
            lastStamp_ = std::max(lastStamp_, c ? c->atMs : 0);
            if (!c) {
                logWarn("group", message.topic + ": not a decision (key, value, at, screen); "
                                                 "ignored");
            } else if (it == decisions_.end() || c->newerThan(it->second)) {
                decisions_[c->key] = *c;
                pending_.erase(c->key);
                if (db_) {
                    db_->saveGroupDecision(*c, false);
                }
                apply = std::move(c);
            } else if (it->second.newerThan(*c)) {
                // The broker holds an older word than this screen knows: correct it.
                out.push_back({message.topic, toJson(it->second).dump()});
            }
        } else if (kind == "posts" && name != config_.screen && doc.is_object()) {
            // Each message is that screen's whole window: only what is new or edited since its
            // last one goes on to Ingest, so a poll does not moderate and store 200 posts again.
            std::set<std::string> seen;
            std::set<std::string>& before = windowSeen_[name];
            const auto list = doc.find("posts");
            for (const auto& p : list != doc.end() && list->is_array() ? *list : json::array()) {
                const std::string text = p.dump();
                const std::string key = contentId(text);
                seen.insert(key);
                if (!before.count(key)) {
                    if (auto post = postFromJson(text)) {
                        posts.push_back(std::move(*post));
                    }
                }
            }
            for (auto& id : textsAt(doc, "deleted")) {
                if (!before.count("deleted:" + id)) {
                    deleted.push_back(id);
                }
                seen.insert("deleted:" + id);
            }
            before = std::move(seen);
        } else if (kind == "cursors" && doc.is_object()) {
            const std::string label = textAt(doc, "label");
            if (!label.empty() && std::find(owned_.begin(), owned_.end(), label) == owned_.end()) {
                cursor = std::pair{label, textAt(doc, "state")};
            }
        } else if (kind == "showing" && name != config_.screen && doc.is_array()) {
            Member& m = members_[name];
            m.previous = std::move(m.showing);
            m.showing = textsIn(doc);
            ++elsewhereVersion_;
        }
    }
    for (const auto& o : out) {
        link_.publish(o.topic, o.payload, true);
    }
    if (apply && hooks_.apply) {
        hooks_.apply(*apply);
    }
    if (!posts.empty() && hooks_.posts) {
        hooks_.posts(std::move(posts));
    }
    if (!deleted.empty() && hooks_.deleted) {
        hooks_.deleted(std::move(deleted));
    }
    if (cursor && hooks_.cursor) {
        hooks_.cursor(cursor->first, cursor->second);
    }
    if (changed) {
        runOwned();
    }
}

void Group::setSources(std::vector<std::string> labels) {
    bool changed = false;
    std::vector<Outgoing> out;
    {
        std::lock_guard lock(mutex_);
        labels_ = std::move(labels);
        changed = recompute(clock_());
        if (connected_) {
            out.push_back({topic("members/" + config_.screen), presence(true)});
        }
    }
    for (const auto& o : out) {
        link_.publish(o.topic, o.payload, true);
    }
    if (changed) {
        runOwned();
    }
}

SharedChange Group::share(SharedChange change) {
    Outgoing out;
    {
        std::lock_guard lock(mutex_);
        // Later than anything this screen has seen: the organiser's click here came after it.
        change.atMs = std::max(clock_(), lastStamp_ + 1);
        lastStamp_ = change.atMs;
        change.screen = config_.screen;
        decisions_[change.key] = change;
        pending_.insert(change.key);
        out = {topic("decisions/" + contentId(change.key)), toJson(change).dump()};
    }
    const bool sent = link_.publish(out.topic, out.payload, true);
    {
        std::lock_guard lock(mutex_);
        if (sent) {
            pending_.erase(change.key);
        }
    }
    if (db_) {
        db_->saveGroupDecision(change, !sent);
    }
    if (!sent) {
        logInfo("group", change.key + ": no broker now; sent when it is back");
    }
    return change;
}

void Group::fetched(const std::vector<Post>& posts) {
    Outgoing out;
    {
        std::lock_guard lock(mutex_);
        for (const auto& p : posts) {
            json doc = toJson(p);
            auto same = std::find_if(window_.begin(), window_.end(),
                                     [&](const json& w) { return w.value("id", "") == p.id; });
            if (same != window_.end()) {
                *same = std::move(doc); // an edit replaces the earlier version
            } else {
                window_.push_back(std::move(doc));
            }
        }
        while (window_.size() > kPostWindow) {
            window_.pop_front();
        }
        json list = json::array();
        for (const auto& w : window_) {
            list.push_back(w);
        }
        out = {
            topic("posts/" + config_.screen),
            json{{"screen", config_.screen}, {"posts", list}, {"deleted", deletedWindow_}}.dump()};
    }
    link_.publish(out.topic, out.payload, true);
}

void Group::deletedHere(const std::vector<std::string>& ids) {
    {
        std::lock_guard lock(mutex_);
        for (const auto& id : ids) {
            deletedWindow_.push_back(id);
            std::erase_if(window_, [&](const json& w) { return w.value("id", "") == id; });
        }
        while (deletedWindow_.size() > kPostWindow) {
            deletedWindow_.pop_front();
        }
    }
    fetched({});
}

void Group::cursorMoved(const std::string& label, const std::string& state) {
    link_.publish(topic("cursors/" + contentId(label)),
                  json{{"label", label}, {"state", state}, {"screen", config_.screen}}.dump(),
                  true);
}

void Group::showing(const std::vector<std::string>& ids) {
    {
        std::lock_guard lock(mutex_);
        if (ids == showing_) {
            return;
        }
        showing_ = ids;
    }
    link_.publish(topic("showing/" + config_.screen), json(ids).dump(), true);
}

void Group::setHealth(std::vector<std::string> lines) {
    std::lock_guard lock(mutex_);
    health_ = std::move(lines);
}

std::vector<std::string> Group::onlineScreens() const {
    std::lock_guard lock(mutex_);
    std::vector<std::string> screens = {config_.screen};
    for (const auto& [screen, m] : members_) {
        if (m.online && screen != config_.screen) {
            screens.push_back(screen);
        }
    }
    return screens;
}

std::set<std::string> Group::shownElsewhere() const {
    std::lock_guard lock(mutex_);
    std::set<std::string> ids;
    for (const auto& [screen, m] : members_) {
        if (m.online && screen != config_.screen) {
            ids.insert(m.showing.begin(), m.showing.end());
            ids.insert(m.previous.begin(), m.previous.end());
        }
    }
    return ids;
}

std::vector<std::string> Group::owned() const {
    std::lock_guard lock(mutex_);
    return owned_;
}

json Group::view() const {
    std::lock_guard lock(mutex_);
    json screens = json::array();
    screens.push_back({{"screen", config_.screen},
                       {"online", connected_},
                       {"this", true},
                       {"showing", showing_},
                       {"fetches", owned_},
                       {"health", health_}});
    for (const auto& [screen, m] : members_) {
        if (screen == config_.screen) {
            continue;
        }
        screens.push_back({{"screen", screen},
                           {"online", m.online},
                           {"this", false},
                           {"showing", m.showing},
                           {"fetches", m.fetches},
                           {"health", m.health}});
    }
    return {{"name", config_.name},
            {"broker", config_.broker},
            {"connected", connected_},
            {"screens", screens}};
}

} // namespace kiosk
