// See WallControl.h. This file: what is on screen, posts and the organiser's decisions on them,
// announcements. WallControlConfig.cpp: the changes that live in the config file.
#include "kiosk/admin/WallControl.h"
#include "kiosk/admin/AdminAuth.h"

#include "kiosk/base/Log.h"
#include "kiosk/text/TextFold.h"

#include <algorithm>
#include <cstring>
#include <set>

namespace kiosk {

using nlohmann::json;

Reply failure(int status, const std::string& message) {
    return {status, json{{"error", message}}};
}

json cardJson(const Post& post, const MediaCache* media) {
    const auto link = [media](const std::string& url) {
        return media && !url.empty() && media->peek(url) ? "/api/media/" + contentId(url)
                                                         : std::string();
    };
    // The first attachment: the one the wall downloads (and shows, when it is a picture).
    const Media* picture = post.media.empty() ? nullptr : &post.media.front();
    return {{"id", post.id},
            {"avatar", link(post.author.avatar)},
            {"picture", picture ? link(picture->url) : std::string()},
            {"picture_alt", picture ? picture->alt : std::string()},
            {"sensitive", post.sensitive},
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
    : config_(std::move(config)), deps_(std::move(deps)), notice_(config_.event.notice) {}

void WallControl::publish() {
    auto next = std::make_shared<Config>(config_);
    pointQrAtAttendeePage(*next, attendeeUrl_);
    next->event.setupUrl = setupUrl_;
    next->event.notice = notice_;
    deps_.live.changed(std::move(next));
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
        current.push_back(cardJson(p, deps_.media));
    }
    for (const auto& p : screen.upNext) {
        next.push_back(cardJson(p, deps_.media));
    }
    const UnixTime now = deps_.clock();
    for (const auto& h : deps_.health ? deps_.health() : std::vector<SourceHealth>{}) {
        sources.push_back({{"label", h.label},
                           {"ok", h.ok},
                           {"streaming", h.streaming},
                           {"last_success", h.lastSuccess ? formatIsoTime(h.lastSuccess) : ""},
                           {"last_error", h.lastError},
                           {"warning", h.warning},
                           {"posts_seen", h.postsSeen},
                           {"summary", describeHealth(h, now)}});
    }
    // The newest few waiting for approval: what just came in is what the organiser looks for.
    json queue = json::array();
    for (const auto& stored : deps_.db.loadPosts(5, Verdict::Queue)) {
        queue.push_back(cardJson(stored.post, deps_.media));
    }
    Reply r;
    r.body = {{"event", config_.event.name},
              {"queue", queue},
              {"hashtags", config_.event.hashtags},
              {"moderation", moderationJson()},
              {"venue", venueJson()},
              {"current", current},
              {"up_next", next},
              {"sources", sources},
              {"counts",
               {{"shown", deps_.db.countPosts(Verdict::Show)},
                {"queued", deps_.db.countPosts(Verdict::Queue)},
                {"hidden", deps_.db.countPosts(Verdict::Hide)}}},
              {"pinned", config_.pinned},
              {"disk_full", deps_.db.diskFull()},
              {"group", deps_.group ? deps_.group() : json()}};
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
        json card = cardJson(p, deps_.media);
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
    share("post/" + id, {{"verdict", "show"}});
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
    share("post/" + id, {{"verdict", "hide"}});
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
    share("pin/" + id, {{"pinned", pinned}});
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

Reply WallControl::addAnnouncement(const std::string& text, UnixTime from, UnixTime until,
                                   const std::string& givenId) {
    if (until && until <= from) {
        return failure(400, "until: must be later than from");
    }
    const UnixTime now = deps_.clock();
    // Random too: two screens of a group may add one in the same second.
    const std::string id = !givenId.empty() ? givenId
                                            : "page-" + std::to_string(now) + "-" +
                                                  std::to_string(++announcementSerial_) + "-" +
                                                  randomToken().substr(0, 6);
    if (std::any_of(config_.announcements.begin(), config_.announcements.end(),
                    [&](const AnnouncementConfig& a) { return a.id == id; })) {
        return {200, json{{"id", id}}}; // a group decision seen twice
    }
    deps_.db.saveAnnouncement({id, text, from, until});
    config_.announcements.push_back({id, text, from, until});
    Config one;
    one.event = config_.event;
    one.announcements = {config_.announcements.back()};
    deps_.store.add(announcementPosts(one));
    publish();
    share("announcement/" + id, {{"text", text}, {"from", from}, {"until", until}});
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
    share("announcement/" + id, {{"deleted", true}});
    logInfo("control", "organiser deleted announcement " + id);
    return {200, json{{"id", id}, {"deleted", true}}};
}

Reply WallControl::wipe(const std::string& confirm) {
    if (confirm != kWipePhrase) {
        return failure(400,
                       std::string("confirm: type \"") + kWipePhrase + "\" to delete every post");
    }
    // The page's announcements go with the database; those in the config file stay.
    std::set<std::string> fromPage;
    for (const auto& a : deps_.db.loadAnnouncements()) {
        fromPage.insert(a.id);
    }
    std::vector<std::string> ids;
    for (const auto& p : *deps_.store.snapshot()) {
        if (p.source != "announcement" || fromPage.count(p.id.substr(p.id.find(':') + 1))) {
            ids.push_back(p.id);
        }
    }
    deps_.store.remove(ids);
    deps_.db.wipeEvent();
    const std::size_t pictures = deps_.media ? deps_.media->clear() : 0;
    deps_.moderator.forgetDecisions();
    config_.pinned.clear();
    std::erase_if(config_.announcements,
                  [&](const AnnouncementConfig& a) { return fromPage.count(a.id) > 0; });
    publish();
    logWarn("control", "organiser deleted everything: " + std::to_string(ids.size()) +
                           " posts on the wall, " + std::to_string(pictures) + " pictures");
    return {200, json{{"deleted_posts", ids.size()}, {"deleted_pictures", pictures}}};
}

Reply WallControl::mediaFile(const std::string& key) const {
    auto file = deps_.media ? deps_.media->fileForKey(key) : std::nullopt;
    if (!file) {
        return failure(404, "key: no such picture");
    }
    return {200, json{{"file", *file}}};
}

void WallControl::share(const std::string& key, json value) {
    if (deps_.share && !applyingShared_) {
        deps_.share({key, std::move(value), 0, ""});
    }
}

Reply WallControl::applySharedPost(const std::string& id, const json& value) {
    const std::string verdict = value.value("verdict", "");
    const bool show = verdict == "show";
    if (auto stored = find(id)) {
        return verdict == "hold" ? hold(*stored) : show ? approve(id) : hide(id);
    }
    if (verdict == "hold") {
        deps_.moderator.hold(id);
        deps_.db.saveDecision(id, Verdict::Queue, deps_.clock());
        deps_.store.remove({id});
        publish();
        return {200, json{{"id", id}}};
    }
    // Not here yet (the screen that fetched it is ahead): the verdict waits for the post.
    show ? deps_.moderator.approve(id) : deps_.moderator.hide(id);
    deps_.db.saveDecision(id, show ? Verdict::Show : Verdict::Hide, deps_.clock());
    if (!show) {
        deps_.store.remove({id});
    }
    publish();
    return {200, json{{"id", id}}};
}

Reply WallControl::applySharedVenue(const std::string& name, bool on) {
    if (name == "enabled") {
        return setVenue(on, std::nullopt, std::nullopt);
    }
    if (name == "qr") {
        return setVenue(std::nullopt, on, std::nullopt);
    }
    if (name == "approve_first") {
        return setVenue(std::nullopt, std::nullopt, on);
    }
    return failure(400, "key: unknown group decision venue/" + name);
}

Reply WallControl::applyShared(const SharedChange& change) {
    applyingShared_ = true;
    const std::string& key = change.key;
    const json& v = change.value;
    const auto after = [&key](const char* prefix) { return key.substr(std::strlen(prefix)); };
    Reply r = failure(400, "key: unknown group decision " + key);
    try {
        if (key.rfind("post/", 0) == 0) {
            r = applySharedPost(after("post/"), v);
        } else if (key.rfind("pin/", 0) == 0) {
            r = pin(after("pin/"), v.value("pinned", false));
        } else if (key.rfind("block/author/", 0) == 0) {
            r = block("author", after("block/author/"), v.value("blocked", false));
        } else if (key.rfind("block/domain/", 0) == 0) {
            r = block("domain", after("block/domain/"), v.value("blocked", false));
        } else if (key.rfind("announcement/", 0) == 0) {
            r = v.value("deleted", false)
                    ? deleteAnnouncement(after("announcement/"))
                    : addAnnouncement(v.value("text", ""), wholeNumberAt(v, "from").value_or(0),
                                      wholeNumberAt(v, "until").value_or(0),
                                      after("announcement/"));
        } else if (key == "moderation/mode" && v.is_string()) {
            r = setModeration(v.get<std::string>(), std::nullopt);
        } else if (key == "moderation/panic" && v.is_string()) {
            r = setModeration(std::nullopt, v.get<std::string>());
        } else if (key == "hashtags" && v.is_array()) {
            r = setHashtags(v.get<std::vector<std::string>>());
        } else if (key == "sources" && v.is_array()) {
            r = setSources(v);
        } else if (key.rfind("venue/", 0) == 0 && v.is_boolean()) {
            r = applySharedVenue(after("venue/"), v.get<bool>());
        }
    } catch (const json::exception& e) {
        r = failure(400, key + ": " + e.what());
    }
    applyingShared_ = false;
    if (r.status >= 400 && r.status != 404) {
        logWarn("group",
                "decision " + key + " from " + change.screen + " not applied: " + r.body.dump());
    }
    return r;
}

} // namespace kiosk
