// See WallControl.h. This file: what is on screen, posts and the organiser's decisions on them,
// announcements. WallControlConfig.cpp: the changes that live in the config file.
#include "kiosk/admin/WallControl.h"

#include "kiosk/core/Log.h"
#include "kiosk/core/TextFold.h"

#include <algorithm>

namespace kiosk {

using nlohmann::json;

Reply failure(int status, const std::string& message) {
    return {status, json{{"error", message}}};
}

json cardJson(const Post& post) {
    return {{"id", post.id},
            {"source", post.source},
            {"url", post.url},
            {"created_at", post.createdAt ? formatIsoTime(post.createdAt) : ""},
            {"name", post.author.name},
            {"handle", post.author.handle},
            {"text", post.text},
            {"spoiler", post.spoiler},
            {"pictures", post.media.size()},
            {"is_reply", post.isReply},
            {"is_repost", post.isRepost}};
}

WallControl::WallControl(Config config, ControlDeps deps)
    : config_(std::move(config)), deps_(std::move(deps)) {}

void WallControl::publish() {
    deps_.live.changed(std::make_shared<const Config>(config_));
}

std::optional<StoredPost> WallControl::find(const std::string& id) const {
    if (auto stored = deps_.db.loadPost(id)) {
        return stored;
    }
    // Announcements and posts restored without a database row live only in the store.
    for (const auto& p : *deps_.store.snapshot()) {
        if (p.id == id) {
            return StoredPost{p, Verdict::Show, {}};
        }
    }
    return std::nullopt;
}

Reply WallControl::status() const {
    const OnScreen screen = deps_.live.onScreen();
    json current = json::array(), next = json::array(), sources = json::array();
    for (const auto& p : screen.page) {
        current.push_back(cardJson(p));
    }
    for (const auto& p : screen.upNext) {
        next.push_back(cardJson(p));
    }
    const UnixTime now = deps_.clock();
    for (const auto& h : deps_.health ? deps_.health() : std::vector<SourceHealth>{}) {
        sources.push_back({{"label", h.label},
                           {"ok", h.ok},
                           {"streaming", h.streaming},
                           {"last_success", h.lastSuccess ? formatIsoTime(h.lastSuccess) : ""},
                           {"last_error", h.lastError},
                           {"posts_seen", h.postsSeen},
                           {"summary", describeHealth(h, now)}});
    }
    // The newest few waiting for approval: what just came in is what the organiser looks for.
    json queue = json::array();
    for (const auto& stored : deps_.db.loadPosts(5, Verdict::Queue)) {
        queue.push_back(cardJson(stored.post));
    }
    Reply r;
    r.body = {{"event", config_.event.name},
              {"queue", queue},
              {"hashtags", config_.event.hashtags},
              {"moderation", moderationJson()},
              {"current", current},
              {"up_next", next},
              {"sources", sources},
              {"counts",
               {{"shown", deps_.db.countPosts(Verdict::Show)},
                {"queued", deps_.db.countPosts(Verdict::Queue)},
                {"hidden", deps_.db.countPosts(Verdict::Hide)}}},
              {"pinned", config_.pinned}};
    return r;
}

Reply WallControl::posts(const std::string& state, const std::string& query,
                         std::size_t limit) const {
    Verdict verdict;
    if (state == "queued") {
        verdict = Verdict::Queue;
    } else if (state == "shown") {
        verdict = Verdict::Show;
    } else if (state == "hidden") {
        verdict = Verdict::Hide;
    } else {
        return failure(400, "state: expected \"queued\", \"shown\" or \"hidden\", got \"" + state +
                                "\"");
    }
    const std::string folded = foldText(query);
    json list = json::array();
    // Searching reads further back than one page, so an older match is still found.
    for (const auto& stored : deps_.db.loadPosts(query.empty() ? limit : 2000, verdict)) {
        const Post& p = stored.post;
        if (!folded.empty() &&
            foldText(p.author.name + "\n" + p.author.handle + "\n" + p.text).find(folded) ==
                std::string::npos) {
            continue;
        }
        json card = cardJson(p);
        card["reason"] = describe(stored.reason);
        card["reason_kind"] = reasonKindName(stored.reason.kind);
        card["pinned"] =
            std::find(config_.pinned.begin(), config_.pinned.end(), p.id) != config_.pinned.end();
        list.push_back(std::move(card));
        if (list.size() >= limit) {
            break;
        }
    }
    return {200, json{{"state", state}, {"posts", list}}};
}

Reply WallControl::approve(const std::string& id) {
    auto stored = find(id);
    if (!stored) {
        return failure(404, "id: no post " + id);
    }
    const UnixTime now = deps_.clock();
    deps_.moderator.approve(id);
    deps_.db.saveDecision(id, Verdict::Show, now);
    deps_.db.savePosts({{stored->post, Verdict::Show, {ReasonKind::Approved, ""}}}, now);
    deps_.store.add({stored->post}); // never shown yet, so the schedule puts it up next
    publish();
    logInfo("control", "organiser approved " + id);
    return {200, json{{"id", id}, {"state", "shown"}}};
}

Reply WallControl::hide(const std::string& id) {
    auto stored = find(id);
    if (!stored) {
        return failure(404, "id: no post " + id);
    }
    if (stored->post.source == "announcement") {
        return failure(400, "id: " + id + " is an announcement; delete it instead");
    }
    const UnixTime now = deps_.clock();
    deps_.moderator.hide(id);
    deps_.db.saveDecision(id, Verdict::Hide, now);
    deps_.db.savePosts({{stored->post, Verdict::Hide, {ReasonKind::HiddenByOrganiser, ""}}}, now);
    deps_.db.setPinned(id, false);
    std::erase(config_.pinned, id);
    deps_.store.remove({id}); // off the wall at the next frame
    publish();
    logInfo("control", "organiser hid " + id);
    return {200, json{{"id", id}, {"state", "hidden"}}};
}

Reply WallControl::pin(const std::string& id, bool pinned) {
    auto stored = find(id);
    if (!stored) {
        return failure(404, "id: no post " + id);
    }
    if (pinned && stored->verdict != Verdict::Show) {
        approve(id); // pinning a queued post is the organiser's approval of it
    }
    deps_.db.setPinned(id, pinned);
    std::erase(config_.pinned, id);
    if (pinned) {
        config_.pinned.push_back(id);
    }
    publish();
    logInfo("control", std::string("organiser ") + (pinned ? "pinned " : "unpinned ") + id);
    return {200, json{{"id", id}, {"pinned", pinned}}};
}

Reply WallControl::announcements() const {
    std::vector<std::string> fromPage;
    for (const auto& a : deps_.db.loadAnnouncements()) {
        fromPage.push_back(a.id);
    }
    json list = json::array();
    for (const auto& a : config_.announcements) {
        const bool mine = std::count(fromPage.begin(), fromPage.end(), a.id) > 0;
        list.push_back({{"id", a.id},
                        {"text", a.text},
                        {"from", a.from ? formatIsoTime(a.from) : ""},
                        {"until", a.until ? formatIsoTime(a.until) : ""},
                        {"in_config_file", !mine}});
    }
    return {200, json{{"announcements", list}}};
}

Reply WallControl::addAnnouncement(const std::string& text, UnixTime from, UnixTime until) {
    if (until && until <= from) {
        return failure(400, "until: must be later than from");
    }
    const UnixTime now = deps_.clock();
    const std::string id =
        "page-" + std::to_string(now) + "-" + std::to_string(++announcementSerial_);
    deps_.db.saveAnnouncement({id, text, from, until});
    config_.announcements.push_back({id, text, from, until});
    Config one;
    one.event = config_.event;
    one.announcements = {config_.announcements.back()};
    deps_.store.add(announcementPosts(one));
    publish();
    logInfo("control", "organiser added announcement " + id);
    return {201, json{{"id", id}}};
}

Reply WallControl::deleteAnnouncement(const std::string& id) {
    auto it = std::find_if(config_.announcements.begin(), config_.announcements.end(),
                           [&](const AnnouncementConfig& a) { return a.id == id; });
    if (it == config_.announcements.end()) {
        return failure(404, "id: no announcement " + id);
    }
    const auto saved = deps_.db.loadAnnouncements();
    if (std::none_of(saved.begin(), saved.end(), [&](const auto& a) { return a.id == id; })) {
        return deleteConfigAnnouncement(id);
    }
    deps_.db.deleteAnnouncement(id);
    config_.announcements.erase(it);
    deps_.store.remove({"announcement:" + id});
    publish();
    logInfo("control", "organiser deleted announcement " + id);
    return {200, json{{"id", id}, {"deleted", true}}};
}

} // namespace kiosk
