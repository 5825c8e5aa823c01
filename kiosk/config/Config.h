// The wall's configuration (config/kiosk.json): event, display, network and sources. Loading
// either yields a complete Config or every problem at once, each naming the file and the
// field ("sources[1].hashtags: expected a list of strings") or the line and column of a typo.
#pragma once

#include "kiosk/base/Result.h"
#include "kiosk/layout/CardLayout.h"
#include "kiosk/layout/Theme.h"
#include "kiosk/model/Moderation.h"
#include "kiosk/model/ReadingTime.h"
#include "kiosk/model/Schedule.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace kiosk {

class Source;

struct EventConfig {
    std::string name = "Social wall";
    std::vector<std::string> hashtags; // shown in the header and the call to action
    std::string callToAction;          // "" -> "Post with #<first hashtag>"
    std::string url;                   // the QR code beside the call to action
    bool qrIsVenuePage = false;        // url is the attendee page (venue.qr): the words say so
    // Set by the running wall, never read from the file (see WallInfo):
    std::string setupUrl; // the control page's one-time link, until the organiser logs in
    std::string notice;   // a problem the organiser must see from the room
};

struct DisplayConfig {
    Theme theme = *themeNamed("dark"); // with any colours the config overrides
    ScreenOptions screen;
    CardOptions card;
    ReadingPace pace;
    bool slide = false; // transition: slide instead of fade
    int transitionMs = 800;
    bool clock = true;
    std::string logo;               // picture for the header; relative to the config file
    std::vector<std::string> fonts; // replaces the default fallback chain when set
    int maxPosts = 500;             // kept in memory for rotation
};

struct NetworkConfig {
    std::string contact; // URL in the User-Agent so server admins can reach the organiser
    int timeoutSeconds = 20;
    int maxResponseKb = 4096;
    std::string mediaCacheDir; // "" -> $XDG_CACHE_HOME/kiosk/media
    int mediaCacheMb = 200;
    bool downloadMedia = true; // avatars and pictures; the offline demo turns it off
};

struct AnnouncementConfig {
    std::string id;
    std::string text;
    UnixTime from = 0;  // 0: from the start
    UnixTime until = 0; // 0: no end
};

struct StorageConfig {
    std::string path; // "" -> the XDG default, for the wall; fetch and shot use none
    int maxPosts = 1000;
    int maxAgeHours = 48;
};

// The organiser's control page (kiosk/admin). Beyond loopback it needs a token; on loopback
// without one, the wall makes a token for this run and logs it.
struct AdminConfig {
    bool enabled = true;
    std::string listen = "127.0.0.1";
    int port = 8080;
    std::string token;                  // also from $KIOSK_ADMIN_TOKEN
    int sessionHours = 12;              // a login lasts this long
    std::vector<std::string> hostNames; // names besides IP addresses the page answers to
    std::string tlsCert, tlsKey;        // PEM files: the page over HTTPS
    bool setupLink = true; // until the first login, the wall shows a one-time link to the page
};

bool isLoopbackAddress(const std::string& address);

// The attendee page (kiosk/admin/VenueApi.h): posts from the venue network without an account,
// served by the control page's listener. Off unless the config turns it on.
struct VenueConfig {
    bool enabled = false;
    bool approveFirst = true; // venue posts wait for the organiser, whatever the wall's mode
    int postsPerDevice = 3;   // in windowMinutes, per phone (a cookie)
    int postsPerAddress = 5;  // in windowMinutes, per network address (phones behind one NAT)
    int removalsPerDevice = 5;
    int windowMinutes = 10;
    int maxPhotoMb = 20; // the upload as the phone sends it (a 24-megapixel JPEG: up to 18 MB)
    bool qr = false;     // the footer's QR code points at the attendee page
    std::string url;     // what that QR code gives phones; "": the board's own address
};

// Membership of a wall group (kiosk/group): several screens sharing one moderation and one
// fetch through an MQTT broker. Absent: the wall is alone.
struct GroupConfig {
    bool enabled = false; // a "group" block is present
    std::string broker;   // as written: "mqtt://10.0.0.2" or "mqtts://broker.example:8883"
    std::string host;
    int port = 1883;
    bool tls = false;
    std::string name;   // the group: its topics live under kiosk/<name>/
    std::string screen; // this member, unique in the group: "hall", "cafe"
    std::string username;
    std::string password;     // also from $KIOSK_GROUP_PASSWORD
    std::string caFile;       // PEM for mqtts://; empty: the system's certificate authorities
    int keepaliveSeconds = 5; // a silent member counts as gone after 1.5 times this
};

// One source block of the config, read and checked: plain data. The live Source that polls is
// made from it where sources run (fetch/SourceSet), so the config never holds running objects.
struct SourceSpec {
    std::string type;               // "mastodon"
    nlohmann::json block;           // as written in the file
    std::string configDir;          // relative file: URLs resolve against it
    std::string label;              // "mastodon #camp @ social.example", unique per source
    std::vector<std::string> hosts; // the hosts it asks (pictures there may be on the LAN)
    // A fresh live source; the block was checked when the config was read.
    std::shared_ptr<Source> make() const;
    bool operator==(const SourceSpec& other) const {
        return type == other.type && block == other.block && configDir == other.configDir;
    }
};

struct Config {
    std::string path;
    StorageConfig storage;
    EventConfig event;
    DisplayConfig display;
    NetworkConfig network;
    AdminConfig admin;
    GroupConfig group;
    VenueConfig venue;
    ModerationRules moderation;
    ScheduleRules schedule;
    std::vector<std::string> pinned; // post ids
    std::vector<AnnouncementConfig> announcements;
    std::vector<SourceSpec> sources;
};

// Errors are joined by newlines, each line starting with the file path.
Result<Config> loadConfigFile(const std::string& path);
// `askedKeys`, when given, receives the path of every key the reader asked for.
Result<Config> parseConfig(const std::string& text, const std::string& path,
                           std::set<std::string>* askedKeys = nullptr);

std::string callToActionText(const EventConfig& event);
// With venue.qr on (and the page open), the footer's QR code and its words point at the
// attendee page at `url` instead of the event's own address; otherwise nothing changes.
void pointQrAtAttendeePage(Config& config, const std::string& url);

class ObjectReader;
void readDisplayConfig(ObjectReader& reader, DisplayConfig& display);
void readModerationConfig(ObjectReader& reader, ModerationRules& rules,
                          const std::string& configDir);
void readScheduleConfig(ObjectReader& reader, Config& config);
void readGroupConfig(ObjectReader& reader, GroupConfig& group, const std::string& configDir);
void readVenueConfig(ObjectReader& reader, VenueConfig& venue);
// Announcements as cards the schedule can place (source "announcement").
std::vector<Post> announcementPosts(const Config& config);
// One word or phrase a line; blank lines and lines starting with # are skipped.
Result<std::vector<std::string>> readWordList(const std::string& path);

} // namespace kiosk
