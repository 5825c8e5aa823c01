// See WallControl.h. This file: the organiser's changes that belong in the config file (blocks,
// hashtags, sources, moderation mode, panic). Each one is written back atomically first and
// applied to the running wall only once the new file has loaded.
#include "kiosk/admin/WallControl.h"
#include "kiosk/base/FileText.h"
#include "kiosk/base/JsonField.h"

#include "kiosk/base/Log.h"
#include "kiosk/sources/SourceRegistry.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace kiosk {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

const char* modeName(ModerationMode mode) {
    switch (mode) {
    case ModerationMode::Pre:
        return "pre";
    case ModerationMode::Post:
        return "post";
    default:
        return "automatic";
    }
}

const char* panicName(Panic panic) {
    switch (panic) {
    case Panic::AnnouncementsOnly:
        return "announcements";
    case Panic::TrustedOnly:
        return "trusted";
    default:
        return "off";
    }
}

ordered_json& member(ordered_json& doc, const char* key) {
    if (!doc.contains(key) || !doc[key].is_object()) {
        doc[key] = ordered_json::object();
    }
    return doc[key];
}

} // namespace

ordered_json withoutSecrets(const ordered_json& sources) {
    ordered_json out = sources;
    for (auto& source : out) {
        const SourceType* type =
            source.is_object() ? findSourceType(source.value("type", "")) : nullptr;
        if (!type) {
            continue; // the config file would not have loaded with such a source
        }
        for (auto& [key, value] : source.items()) {
            if (listsKey(type->secretKeys, key) && value.is_string() &&
                !value.get<std::string>().empty()) {
                value = kHiddenSecret;
            }
        }
    }
    return out;
}

namespace {

// The same source as far as its secrets are concerned: same type, every address and account key
// present in both or neither, with the same value.
bool sameIdentity(const SourceType& type, const ordered_json& a, const ordered_json& b) {
    if (!a.is_object() || !b.is_object() || a.value("type", "") != b.value("type", "")) {
        return false;
    }
    for (const auto& key : identityKeys(type)) {
        if (a.contains(key) != b.contains(key) ||
            textAt(a, key.c_str()) != textAt(b, key.c_str())) {
            return false;
        }
    }
    return true;
}

bool isWebAddress(const std::string& value) {
    return value.rfind("https://", 0) == 0 || value.rfind("http://", 0) == 0;
}

} // namespace

void checkPageSources(ordered_json& sources, const ordered_json& current) {
    for (std::size_t i = 0; i < sources.size(); ++i) {
        ordered_json& source = sources[i];
        const std::string at = "sources[" + std::to_string(i) + "].";
        if (!source.is_object()) {
            throw std::invalid_argument(at.substr(0, at.size() - 1) + ": expected an object");
        }
        const std::string typeName = source.value("type", "");
        const SourceType* type = findSourceType(typeName);
        if (!type) {
            throw std::invalid_argument(at + "type: unknown source type \"" + typeName +
                                        "\" (known: " + sourceTypeNames() + ")");
        }
        const ordered_json* same = nullptr;
        for (const auto& old : current) {
            if (sameIdentity(*type, old, source)) {
                same = &old;
                break;
            }
        }
        for (auto& [key, value] : source.items()) {
            // file: and other schemes stay only where the config file already had them.
            if (listsKey(type->addressKeys, key) && !same &&
                !isWebAddress(value.is_string() ? value.get<std::string>() : "")) {
                throw std::invalid_argument(at + key +
                                            ": the control page accepts http:// and https:// "
                                            "addresses only");
            }
            if (listsKey(type->fileKeys, key) &&
                (!same || textAt(*same, key.c_str()) != textAt(source, key.c_str()))) {
                throw std::invalid_argument(at + key +
                                            ": a file on the wall is set in the config file only");
            }
            if (!listsKey(type->secretKeys, key) || !value.is_string() ||
                value.get<std::string>() != kHiddenSecret) {
                continue;
            }
            if (!same || !same->contains(key)) {
                throw std::invalid_argument(at + key +
                                            ": type the secret again (a kept secret only goes "
                                            "back to the same source at the same address)");
            }
            value = (*same)[key];
        }
    }
}

json WallControl::moderationJson() const {
    const ModerationRules rules = deps_.moderator.rules();
    return {{"mode", modeName(rules.mode)}, {"panic", panicName(rules.panic)}};
}

void addOrganiserMemory(Database& db, Config& config) {
    for (auto& id : db.loadPinned()) {
        if (std::find(config.pinned.begin(), config.pinned.end(), id) == config.pinned.end()) {
            config.pinned.push_back(std::move(id));
        }
    }
    for (auto& a : db.loadAnnouncements()) {
        config.announcements.push_back({a.id, a.text, a.from, a.until});
    }
}

void WallControl::recheckShownPosts() {
    std::vector<std::string> gone;
    std::vector<StoredPost> hidden;
    for (const auto& post : *deps_.store.snapshot()) {
        if (auto reason = deps_.moderator.newlyBlocked(post)) {
            gone.push_back(post.id);
            hidden.push_back({post, Verdict::Hide, *reason});
        }
    }
    if (!gone.empty()) {
        deps_.db.savePosts(hidden, deps_.clock());
        deps_.store.remove(gone);
        logInfo("control",
                "took " + std::to_string(gone.size()) + " posts off the wall under the new rules");
    }
}

Reply WallControl::rewrite(const ConfigPatch& patch, bool sourcesChanged) {
    auto updated = rewriteConfigFile(config_.path, patch);
    if (!updated) {
        logWarn("control", "organiser's change refused: " + updated.error());
        return failure(400, updated.error());
    }
    Config next = std::move(updated.value());
    addOrganiserMemory(deps_.db, next);
    if (!sourcesChanged) {
        next.sources = config_.sources; // as read at start, whatever the file says now
    }
    config_ = std::move(next);
    deps_.moderator.setRules(config_.moderation);
    if (deps_.venueChanged) {
        deps_.venueChanged(config_.venue);
    }
    recheckShownPosts();
    if (sourcesChanged && deps_.restartSources) {
        deps_.restartSources(config_);
    }
    publish();
    return {};
}

void WallControl::bringBackUnblocked(const std::string& kind, const std::string& value) {
    // Only posts hidden because of this very block; what the organiser hid by hand stays hidden.
    const auto hiddenByThisBlock = [&](const Reason& reason) {
        if (kind == "author") {
            return reason.kind == ReasonKind::BlockedAuthor &&
                   reason.subject == normalHandle(value);
        }
        return (reason.kind == ReasonKind::BlockedServer ||
                reason.kind == ReasonKind::BlockedLink) &&
               reason.subject == value;
    };
    const UnixTime now = deps_.clock();
    std::vector<StoredPost> judged;
    std::vector<Post> shown;
    for (auto& stored : deps_.db.loadPosts(5000, Verdict::Hide)) {
        if (!hiddenByThisBlock(stored.reason)) {
            continue;
        }
        const Decision d = deps_.moderator.judge(stored.post, now);
        if (d.verdict == Verdict::Show) {
            shown.push_back(stored.post);
        }
        judged.push_back({std::move(stored.post), d.verdict, d.reason});
    }
    if (!judged.empty()) {
        deps_.db.savePosts(judged, now);
        deps_.store.add(std::move(shown));
        logInfo("control", std::to_string(judged.size()) + " posts hidden by the block of " +
                               value + " were judged again");
    }
}

Reply WallControl::blocks() const {
    const ModerationRules rules = deps_.moderator.rules();
    return {200, json{{"authors", rules.blockedAuthors}, {"domains", rules.blockedDomains}}};
}

Reply WallControl::block(const std::string& kind, const std::string& value, bool blocked) {
    const char* key = kind == "author" ? "blocked_authors" : "blocked_domains";
    std::string normal = kind == "author" ? normalHandle(value) : value;
    if (kind == "author") {
        normal.insert(0, 1, '@'); // GCC 12's -Wrestrict misfires on "@" + string in Release
    }
    Reply r = rewrite(
        [&](ordered_json& doc) {
            ordered_json& list = member(doc, "moderation")[key];
            if (!list.is_array()) {
                list = ordered_json::array();
            }
            const auto same = [&](const ordered_json& v) {
                return v.is_string() &&
                       (kind == "author" ? normalHandle(v.get<std::string>()) == normalHandle(value)
                                         : v.get<std::string>() == value);
            };
            list.erase(std::remove_if(list.begin(), list.end(), same), list.end());
            if (blocked) {
                list.push_back(normal);
            }
        },
        false);
    if (r.status != 200) {
        return r;
    }
    logInfo("control", std::string("organiser ") + (blocked ? "blocked " : "unblocked ") + kind +
                           " " + normal);
    share("block/" + kind + "/" + normal, {{"blocked", blocked}});
    if (!blocked) {
        bringBackUnblocked(kind, normal);
    }
    Reply out = blocks();
    return out;
}

Reply WallControl::deleteConfigAnnouncement(const std::string& id) {
    Reply r = rewrite(
        [&](ordered_json& doc) {
            if (!doc.contains("announcements") || !doc["announcements"].is_array()) {
                throw std::invalid_argument("announcements: not in the file any more");
            }
            auto& list = doc["announcements"];
            for (auto it = list.begin(); it != list.end(); ++it) {
                if (it->is_object() && it->value("id", "") == id) {
                    list.erase(it);
                    return;
                }
            }
            throw std::invalid_argument("announcements: no \"" + id + "\" in the file any more");
        },
        false);
    if (r.status != 200) {
        return r;
    }
    deps_.store.remove({"announcement:" + id});
    publish();
    logInfo("control", "organiser deleted announcement " + id + " from " + config_.path);
    return {200, json{{"id", id}, {"deleted", true}, {"config_file", config_.path}}};
}

Reply WallControl::hashtags() const {
    return {200, json{{"hashtags", config_.event.hashtags}}};
}

Reply WallControl::setHashtags(const std::vector<std::string>& tags) {
    bool anySource = false;
    Reply r = rewrite(
        [&](ordered_json& doc) {
            member(doc, "event")["hashtags"] = tags;
            if (!doc.contains("sources") || !doc["sources"].is_array()) {
                return;
            }
            // Every source that follows hashtags follows the event's new ones.
            for (auto& source : doc["sources"]) {
                if (source.is_object() && source.contains("hashtags")) {
                    source["hashtags"] = tags;
                    anySource = true;
                }
            }
        },
        true);
    if (r.status != 200) {
        return r;
    }
    logInfo("control", "organiser set the hashtags to " + json(tags).dump());
    share("hashtags", tags);
    return {200, json{{"hashtags", tags}, {"sources_following", anySource}}};
}

Reply WallControl::sources() const {
    const auto text = readTextFile(config_.path);
    const ordered_json doc = ordered_json::parse(text.value_or(""), nullptr, false);
    if (!doc.is_object()) {
        return failure(500, config_.path + ": cannot read the config file back");
    }
    ordered_json list = doc.contains("sources") ? doc["sources"] : ordered_json::array();
    // What the page's forms ask for each network, from the source table.
    json types = json::array();
    for (const auto& type : sourceTypes()) {
        json fields = json::array();
        std::istringstream in(type.formFields);
        for (std::string field; in >> field;) {
            const auto colon = field.find(':');
            fields.push_back({{"key", field.substr(0, colon)}, {"kind", field.substr(colon + 1)}});
        }
        types.push_back({{"type", type.name},
                         {"name", type.displayName},
                         {"description", type.description},
                         {"fields", fields}});
    }
    return {200, json{{"sources", json::parse(withoutSecrets(list).dump())}, {"types", types}}};
}

Reply WallControl::sourceForTrial(const json& source) const {
    const auto text = readTextFile(config_.path);
    const ordered_json doc = ordered_json::parse(text.value_or(""), nullptr, false);
    if (!doc.is_object()) {
        return failure(500, config_.path + ": cannot read the config file back");
    }
    const ordered_json current = doc.contains("sources") ? doc["sources"] : ordered_json::array();
    ordered_json list = ordered_json::array({ordered_json::parse(source.dump())});
    try {
        checkPageSources(list, current); // the same rules as saving: secrets stay where they were
    } catch (const std::invalid_argument& e) {
        return failure(400, e.what());
    }
    // Secrets included: this answer stays on the wall (AdminApi hands it to the trial).
    return {200, json{{"source", json::parse(list[0].dump())}}};
}

Reply WallControl::setSources(const json& list) {
    json written; // with the kept secrets back in: what the other screens need to fetch
    Reply r = rewrite(
        [&](ordered_json& doc) {
            ordered_json next = ordered_json::parse(list.dump());
            const ordered_json current =
                doc.contains("sources") ? doc["sources"] : ordered_json::array();
            checkPageSources(next, current);
            written = json::parse(next.dump());
            doc["sources"] = std::move(next);
        },
        true);
    if (r.status != 200) {
        return r;
    }
    share("sources", written);
    logInfo("control",
            "organiser changed the sources (" + std::to_string(config_.sources.size()) + " now)");
    return sources();
}

Reply WallControl::setModeration(const std::optional<std::string>& mode,
                                 const std::optional<std::string>& panic) {
    Reply r = rewrite(
        [&](ordered_json& doc) {
            ordered_json& m = member(doc, "moderation");
            if (mode) {
                m["mode"] = *mode;
            }
            if (panic) {
                m["panic"] = *panic;
            }
        },
        false);
    if (r.status != 200) {
        return r;
    }
    logInfo("control", "moderation is now " + moderationJson().dump());
    if (mode) {
        share("moderation/mode", *mode);
    }
    if (panic) {
        share("moderation/panic", *panic);
    }
    return {200, moderationJson()};
}

Reply WallControl::setVenue(std::optional<bool> enabled, std::optional<bool> qr,
                            std::optional<bool> approveFirst) {
    Reply r = rewrite(
        [&](ordered_json& doc) {
            ordered_json& v = member(doc, "venue");
            if (enabled) {
                v["enabled"] = *enabled;
            }
            if (qr) {
                v["qr"] = *qr;
            }
            if (approveFirst) {
                v["approve_first"] = *approveFirst;
            }
        },
        false);
    if (r.status != 200) {
        return r;
    }
    logInfo("control", "attendee page is now " + venueJson().dump());
    // One key per switch, so closing the page on one screen and, at the same moment, letting
    // venue posts through on another both stand.
    for (const auto& [name, value] :
         {std::pair{"enabled", enabled}, {"qr", qr}, {"approve_first", approveFirst}}) {
        if (value) {
            share(std::string("venue/") + name, *value);
        }
    }
    return {200, venueJson()};
}

json WallControl::venueJson() const {
    return {{"enabled", config_.venue.enabled},
            {"qr", config_.venue.qr},
            {"approve_first", config_.venue.approveFirst},
            {"url", attendeeUrl_}};
}

} // namespace kiosk
