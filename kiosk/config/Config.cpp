// Config loading on top of ObjectReader and the source registry; see Config.h.
#include "kiosk/config/Config.h"
#include "kiosk/base/FileText.h"

#include "kiosk/base/ConfigReader.h"
#include "kiosk/base/Url.h"
#include "kiosk/sources/SourceRegistry.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>

namespace kiosk {
namespace {

using nlohmann::json;

std::string lineColumn(const std::string& text, std::size_t byte) {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column; // count characters, not UTF-8 continuation bytes
        }
    }
    return std::to_string(line) + ":" + std::to_string(column);
}

// nlohmann's message carries its own prefix and position; keep only the human part.
std::string syntaxMessage(const std::string& what) {
    std::string msg = what;
    if (auto pos = msg.find(": syntax error"); pos != std::string::npos) {
        msg = msg.substr(pos + 2);
    } else if (auto colon = msg.find("] "); colon != std::string::npos) {
        msg = msg.substr(colon + 2);
    }
    return msg;
}

void readSources(ObjectReader& root, const std::string& configDir, Config& config,
                 ConfigErrors& errors) {
    const json* list = root.array("sources");
    if (!list) {
        return;
    }
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = "sources[" + std::to_string(i) + "]";
        const json& entry = (*list)[i];
        if (!entry.is_object()) {
            errors.add(path, "expected an object with a \"type\"");
            continue;
        }
        ObjectReader r(entry, path, errors);
        const std::string type = r.string("type", "", true);
        const SourceType* kind = findSourceType(type);
        if (!kind || !kind->create) {
            if (!type.empty()) {
                r.error("type",
                        "unknown source type \"" + type + "\" (known: " + sourceTypeNames() + ")");
            }
            continue;
        }
        const std::size_t before = errors.messages.size();
        auto source = kind->create(r, SourceContext{configDir});
        r.finish();
        if (errors.messages.size() == before && source) {
            config.sources.push_back({type, entry, configDir, source->label(), source->hosts()});
        }
    }
}

// The library's overflow message quotes the number ("... parsing '1e999'"); its first
// occurrence in the text is where the organiser has to look.
std::size_t overflowPlace(const std::string& text, const std::string& what) {
    const auto open = what.find('\'');
    const auto close = what.rfind('\'');
    if (open == std::string::npos || close <= open + 1) {
        return 0;
    }
    const auto at = text.find(what.substr(open + 1, close - open - 1));
    return at == std::string::npos ? 0 : at;
}

// nlohmann reports the position after the token it choked on; an editor user wants the
// token's start (e.g. the key that lacks a comma before it).
std::size_t tokenStart(const std::string& text, std::size_t at) {
    if (at >= text.size()) {
        return at;
    }
    if (text[at] == '"') {
        while (at > 0) {
            --at;
            if (text[at] == '"' && (at == 0 || text[at - 1] != '\\')) {
                break;
            }
        }
        return at;
    }
    const auto wordChar = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+';
    };
    while (at > 0 && wordChar(text[at]) && wordChar(text[at - 1])) {
        --at;
    }
    return at;
}

void readAdminConfig(ObjectReader& r, AdminConfig& admin, const std::string& dir) {
    admin.enabled = r.boolean("enabled", true);
    admin.hostNames = r.stringList("hostnames");
    // The page over HTTPS: a certificate (chain) and its key, PEM files relative to the config.
    for (auto [key, target] : {std::pair{"tls_cert", &admin.tlsCert}, {"tls_key", &admin.tlsKey}}) {
        *target = r.string(key, "");
        if (!target->empty() && std::filesystem::path(*target).is_relative()) {
            *target = (std::filesystem::path(dir.empty() ? "." : dir) / *target).string();
        }
        if (!target->empty() && !readTextFile(*target)) {
            r.error(key, "cannot read " + *target);
        }
    }
    if (admin.tlsCert.empty() != admin.tlsKey.empty()) {
        r.error(admin.tlsCert.empty() ? "tls_cert" : "tls_key",
                "HTTPS needs both tls_cert and tls_key");
    }
    admin.listen = r.string("listen", admin.listen);
    if (admin.listen != "localhost" && !isIpAddress(admin.listen)) {
        r.error("listen", "expected an IP address such as 127.0.0.1 or 0.0.0.0, got \"" +
                              admin.listen + "\"");
    }
    admin.port = int(r.integer("port", admin.port, 0, 65535)); // 0: any free port
    admin.token = r.string("token", "");
    if (const char* env = std::getenv("KIOSK_ADMIN_TOKEN"); admin.token.empty() && env) {
        admin.token = env; // keeps the secret out of a config file others may read
    }
    admin.sessionHours = int(r.integer("session_hours", admin.sessionHours, 1, 24 * 14));
    admin.setupLink = r.boolean("setup_link", admin.setupLink);
    if (!admin.token.empty() && admin.token.size() < 12) {
        r.error("token", "too short to guess-proof the control page: use 12 or more characters");
    }
    if (admin.enabled && admin.token.empty() && !isLoopbackAddress(admin.listen)) {
        r.error("listen", "listening on \"" + admin.listen +
                              "\" (beyond this machine) needs admin.token; set a token or "
                              "listen on 127.0.0.1");
    }
}

} // namespace

bool isLoopbackAddress(const std::string& address) {
    // Parsed, not matched by prefix: "127.evil.example" is a name that resolves anywhere.
    unsigned char bytes[16] = {};
    if (::inet_pton(AF_INET, address.c_str(), bytes) == 1) {
        return bytes[0] == 127;
    }
    if (::inet_pton(AF_INET6, address.c_str(), bytes) == 1) {
        static const unsigned char loopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        return std::equal(bytes, bytes + 16, loopback);
    }
    return address == "localhost";
}

std::shared_ptr<Source> SourceSpec::make() const {
    const SourceType* kind = findSourceType(type);
    ConfigErrors errors;
    ObjectReader reader(block, "", errors);
    std::shared_ptr<Source> source =
        kind && kind->create ? kind->create(reader, SourceContext{configDir}) : nullptr;
    if (!source || !errors.empty()) {
        // Only a spec that did not come from parseConfig gets here: a bug, said loudly.
        throw std::logic_error("source " + label + ": its block no longer makes a source");
    }
    return source;
}

Result<Config> parseConfig(const std::string& text, const std::string& path,
                           std::set<std::string>* askedKeys) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        // e.byte is one past the offending character.
        const std::size_t at = tokenStart(text, e.byte > 0 ? e.byte - 1 : 0);
        return Error{path + ":" + lineColumn(text, at) + ": " + syntaxMessage(e.what())};
    } catch (const json::out_of_range& e) {
        // A number beyond double's range ("1e999"): the library names the token, not its place.
        return Error{path + ":" + lineColumn(text, overflowPlace(text, e.what())) +
                     ": number too large to read: " + syntaxMessage(e.what())};
    }
    if (!doc.is_object()) {
        return Error{path + ":1:1: expected a JSON object at the top level"};
    }
    Config config;
    config.path = path;
    ConfigErrors errors;
    errors.asked = askedKeys;
    ObjectReader root(doc, "", errors);
    if (const json* event = root.object("event")) {
        ObjectReader r(*event, "event", errors);
        config.event.name = r.string("name", config.event.name);
        config.event.hashtags = r.stringList("hashtags");
        for (auto& tag : config.event.hashtags) {
            if (!tag.empty() && tag.front() == '#') {
                tag.erase(0, 1);
            }
        }
        config.event.callToAction = r.string("call_to_action", "");
        config.event.url = r.string("url", "");
        if (!config.event.url.empty() && !isWebUrl(config.event.url)) {
            r.error("url", "expected a web address for the QR code, such as "
                           "\"https://camp.example.org/wall\"");
        }
        r.finish();
    }
    config.display.card.sourceNames = sourceDisplayNames();
    // Not a fetched source: posts from the attendee page (kiosk/admin/VenueApi.h).
    config.display.card.sourceNames.emplace_back("venue", "Venue");
    if (const json* display = root.object("display")) {
        ObjectReader r(*display, "display", errors);
        readDisplayConfig(r, config.display);
        r.finish();
    }
    if (const json* network = root.object("network")) {
        ObjectReader r(*network, "network", errors);
        config.network.contact = r.string("contact", "");
        config.network.timeoutSeconds = int(r.integer("timeout_seconds", 20, 1, 300));
        config.network.maxResponseKb = int(r.integer("max_response_kb", 4096, 16, 65536));
        config.network.mediaCacheDir = r.string("media_cache_dir", "");
        config.network.mediaCacheMb = int(r.integer("media_cache_mb", 200, 10, 100000));
        config.network.downloadMedia = r.boolean("download_media", true);
        r.finish();
    }
    const std::string dir = std::filesystem::path(path).parent_path().string();
    if (const json* storage = root.object("storage")) {
        ObjectReader r(*storage, "storage", errors);
        config.storage.path = r.string("path", "");
        if (!config.storage.path.empty() && config.storage.path != ":memory:" &&
            std::filesystem::path(config.storage.path).is_relative()) {
            config.storage.path =
                (std::filesystem::path(dir.empty() ? "." : dir) / config.storage.path).string();
        }
        config.storage.maxPosts = int(r.integer("max_posts", 1000, 10, 1000000));
        config.storage.maxAgeHours = int(r.integer("max_age_hours", 48, 1, 24 * 365));
        r.finish();
    }
    if (const json* admin = root.object("admin")) {
        ObjectReader r(*admin, "admin", errors);
        readAdminConfig(r, config.admin, std::filesystem::path(path).parent_path().string());
        r.finish();
    }
    if (const json* group = root.object("group")) {
        ObjectReader r(*group, "group", errors);
        readGroupConfig(r, config.group, dir.empty() ? "." : dir);
        r.finish();
    }
    if (const json* venue = root.object("venue")) {
        ObjectReader r(*venue, "venue", errors);
        readVenueConfig(r, config.venue);
        if (config.venue.enabled && !config.admin.enabled) {
            r.error("enabled", "the attendee page is served by the control page; set "
                               "admin.enabled (and admin.listen to the venue network)");
        }
        r.finish();
    }
    readScheduleConfig(root, config);
    if (const json* moderation = root.object("moderation")) {
        ObjectReader r(*moderation, "moderation", errors);
        readModerationConfig(r, config.moderation, dir.empty() ? "." : dir);
        r.finish();
    }
    config.moderation.venueApproveFirst = config.venue.approveFirst;
    readSources(root, dir.empty() ? "." : dir, config, errors);
    root.finish();
    if (!errors.empty()) {
        std::string all;
        for (const auto& m : errors.messages) {
            all += (all.empty() ? "" : "\n") + path + ": " + m;
        }
        return Error{all};
    }
    return config;
}

Result<Config> loadConfigFile(const std::string& path) {
    const auto text = readTextFile(path);
    if (!text) {
        return Error{path + ": cannot open the config file"};
    }
    return parseConfig(*text, path);
}

void pointQrAtAttendeePage(Config& config, const std::string& url) {
    if (!url.empty() && config.admin.enabled && config.venue.enabled && config.venue.qr) {
        config.event.url = url;
        config.event.qrIsVenuePage = true;
    }
}

std::string callToActionText(const EventConfig& event) {
    if (!event.callToAction.empty()) {
        return event.callToAction;
    }
    if (event.qrIsVenuePage) {
        return event.hashtags.empty() ? "Scan to post on the wall"
                                      : "Scan to post here, or use #" + event.hashtags.front();
    }
    if (event.hashtags.empty()) {
        return {};
    }
    return "Post with #" + event.hashtags.front();
}

} // namespace kiosk
