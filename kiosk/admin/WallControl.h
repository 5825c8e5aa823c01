// What the organiser can do to the running wall, as plain calls with JSON answers: see what is on
// screen and queued, approve / hide / pin posts, block authors and servers, manage announcements,
// change hashtags, sources, the moderation mode and panic. Every call runs on the command queue's
// thread (one at a time); changes reach the frame loop through LiveWall and the config file
// through rewriteConfigFile. No HTTP here: AdminApi turns requests into these calls.
#pragma once

#include "kiosk/base/VenuePhoto.h"
#include "kiosk/config/Config.h"
#include "kiosk/config/ConfigFile.h"
#include "kiosk/config/LiveWall.h"
#include "kiosk/model/Moderation.h"
#include "kiosk/model/PostStore.h"
#include "kiosk/model/SharedChange.h"
#include "kiosk/media/MediaCache.h"
#include "kiosk/sources/SourceHealth.h"
#include "kiosk/store/Database.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kiosk {

struct Reply {
    int status = 200;
    nlohmann::json body = nlohmann::json::object();
};
Reply failure(int status, const std::string& message);

struct ControlDeps {
    PostStore& store;
    Moderator& moderator;
    Database& db;
    LiveWall& live;
    std::function<std::vector<SourceHealth>()> health = {};
    // Called with the new config after the organiser changed hashtags or sources: the fetch
    // threads restart with the new sources. May be empty (tests without network).
    std::function<void(const Config&)> restartSources = {};
    std::function<UnixTime()> clock = {};
    // Called with every decision the organiser made on this page, for the other screens of a
    // wall group (kiosk/group). Empty when the wall is alone.
    std::function<void(const SharedChange&)> share = {};
    // Avatars and pictures the wall has, for the page to show beside each post. May be null.
    MediaCache* media = nullptr;
    // The group's screens for the status (kiosk/group's view); empty when alone.
    std::function<nlohmann::json()> group = {};
    // Polls one source block once for "try it" (kiosk/fetch/SourceTrial.h); AdminApi calls it
    // off the command queue. Empty: trying is not offered.
    std::function<nlohmann::json(const nlohmann::ordered_json&)> trySource = {};
    // Called with the venue settings after every change of the config from the page, so the
    // attendee page opens or closes at once (VenueApi). May be empty.
    std::function<void(const VenueConfig&)> venueChanged = {};
};

// What an attendee sent from the venue page, checked by VenueApi: a name (may be empty), the
// text and the re-encoded photo, if any.
struct VenueSubmission {
    std::string name;
    std::string text;
    std::optional<Photo> photo;
    std::string client; // network address, for the log
};

// Secrets in source settings (tokens, passwords) are never sent to the page; it sees this.
inline constexpr const char* kHiddenSecret = "(hidden)";
inline constexpr const char* kWipePhrase = "delete everything";

class WallControl {
public:
    WallControl(Config config, ControlDeps deps);

    Reply status() const;
    // state: "queued", "shown" or "hidden"; query matches name, handle and text, any case.
    Reply posts(const std::string& state, const std::string& query, std::size_t limit) const;
    Reply approve(const std::string& id);
    Reply hide(const std::string& id);
    Reply pin(const std::string& id, bool pinned);

    // After the event: posts, pictures and decisions are deleted from the database, the media
    // cache and the wall (announcements and the config file stay). `confirm` must be
    // kWipePhrase, so no single tap does it.
    Reply wipe(const std::string& confirm);

    // The file of a cached avatar or picture by its key, as {"file": path}; 404 when the cache
    // has no such key (the page only asks for keys it was given in a card).
    Reply mediaFile(const std::string& key) const;

    Reply blocks() const;
    // kind: "author" or "domain".
    Reply block(const std::string& kind, const std::string& value, bool blocked);

    Reply announcements() const;
    // id: empty for a new one from this page; given when another screen made it.
    Reply addAnnouncement(const std::string& text, UnixTime from, UnixTime until,
                          const std::string& id = "");
    Reply deleteAnnouncement(const std::string& id);

    Reply hashtags() const;
    Reply setHashtags(const std::vector<std::string>& tags);
    Reply sources() const;
    Reply setSources(const nlohmann::json& list);
    // One source block from the page's form, checked and with its kept secret put back as
    // setSources would, for "try it"; {"source": ...}. Never sent to the page as it is.
    Reply sourceForTrial(const nlohmann::json& source) const;
    // Either may be absent; values as in the config file.
    Reply setModeration(const std::optional<std::string>& mode,
                        const std::optional<std::string>& panic);

    // The organiser's switches for the attendee page, written to the config's venue block:
    // open or closed, the QR code pointing at it, venue posts waiting for approval. Each may be
    // absent. {"enabled", "qr", "approve_first", "url"}.
    Reply setVenue(std::optional<bool> enabled, std::optional<bool> qr,
                   std::optional<bool> approveFirst);
    nlohmann::json venueJson() const;
    // Whether a venue post waits for the organiser now (approve_first, or the wall's mode is
    // pre): the attendee page says so before anyone posts. {"waits": bool}.
    Reply venueWaits() const;

    // The attendee page (VenueApi): a post from the venue network, kept and judged like any
    // other (in the venue config's default, waiting for the organiser).
    Reply venuePost(const VenueSubmission& submission);
    // What is on the wall now and lately, for "take my post off the wall": ids, names, words.
    Reply venueOnScreen() const;
    // Someone asks for a post to come off the wall: `wanted` is its id or link. It leaves the
    // wall at once and waits in the organiser's queue (approving it brings it back).
    Reply askRemoval(const std::string& wanted);
    // The attendee page's address on the venue network, once the page listens: with venue.qr
    // the wall's QR code points at it.
    void setAttendeeUrl(const std::string& url);
    // The one-time setup link the wall shows until the organiser has logged in ("": none).
    void setSetupUrl(const std::string& url);

    // A decision another screen of the group made: applied as the page's own would be (the
    // config file, the database, the wall), but not shared again. A decision about a post this
    // screen has not seen yet is remembered for when it comes.
    Reply applyShared(const SharedChange& change);

private:
    void share(const std::string& key, nlohmann::json value);
    Reply applySharedPost(const std::string& id, const nlohmann::json& value);
    Reply applySharedVenue(const std::string& name, bool on);
    Reply hold(const StoredPost& stored); // off the wall until the organiser decides
    // Applies a change to the config file and, when it loads, to the running wall.
    Reply rewrite(const ConfigPatch& patch, bool sourcesChanged);
    Reply deleteConfigAnnouncement(const std::string& id); // one written in the config file
    // Takes off the wall (and marks hidden) what the organiser's newer rules now block.
    void recheckShownPosts();
    // After an unblock: the posts that block hid are judged again by the remaining rules.
    void bringBackUnblocked(const std::string& kind, const std::string& value);
    void publish();
    std::optional<StoredPost> find(const std::string& id) const;
    nlohmann::json moderationJson() const;

    Config config_; // used on the command queue's thread only
    ControlDeps deps_;
    int announcementSerial_ = 0;
    bool applyingShared_ = false; // a group decision is being applied: do not share it back
    std::string attendeeUrl_;     // for the QR code when venue.qr is on
    std::string setupUrl_;        // the setup card's link, until the first login
    std::string notice_;          // from the start (a bad boot-partition config); kept across edits
};

// Adds what the database remembers beside the config file: the page's pins and announcements.
void addOrganiserMemory(Database& db, Config& config);
// A post as the control page shows it (text only; the page never renders it as HTML), with
// "/api/media/<key>" links to its avatar and first picture when the media cache has them.
nlohmann::json cardJson(const Post& post, const MediaCache* media = nullptr);
// The source list of a config file with every secret (the source table's secretKeys) replaced
// by kHiddenSecret.
nlohmann::ordered_json withoutSecrets(const nlohmann::ordered_json& sources);
// Checks a source list the page sent against `current` (the config file's) and puts back the
// secrets it sent as kHiddenSecret. A secret goes back only to a source of the same type whose
// address and account keys (the source table's) are all unchanged; new addresses must be
// http(s); files (fileKeys) are never set from the page. Throws std::invalid_argument naming
// the field.
void checkPageSources(nlohmann::ordered_json& sources, const nlohmann::ordered_json& current);

} // namespace kiosk
