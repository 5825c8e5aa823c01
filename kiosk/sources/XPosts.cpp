// X post JSON -> Post. Retweets show the original; t.co links become their display form and
// links to attached media disappear from the text, as in X's own apps.
#include "kiosk/sources/XPosts.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Time.h"
#include "kiosk/base/Url.h"
#include "kiosk/sources/SourceRegistry.h"
#include "kiosk/text/Html.h"

#include <nlohmann/json.hpp>

#include <charconv>
#include <map>

namespace kiosk {
namespace {

using nlohmann::json;

// Either spelling: the API renamed tweet -> post in 2026 (OpenAPI v2.167).
const json& eitherMember(const json& obj, const char* older, const char* newer) {
    const json& a = memberAt(obj, older);
    return a.is_null() ? memberAt(obj, newer) : a;
}

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) {
        return;
    }
    for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos)) {
        s.replace(pos, from.size(), to);
        pos += to.size();
    }
}

struct Includes {
    std::map<std::string, const json*> users, media, posts;
};

Includes indexIncludes(const json& doc) {
    Includes inc;
    const json& includes = memberAt(doc, "includes");
    const auto index = [](const json& list, const char* key,
                          std::map<std::string, const json*>& out) {
        if (list.is_array()) {
            for (const auto& item : list) {
                if (auto k = textAt(item, key); !k.empty()) {
                    out[k] = &item;
                }
            }
        }
    };
    index(memberAt(includes, "users"), "id", inc.users);
    index(memberAt(includes, "media"), "media_key", inc.media);
    index(eitherMember(includes, "tweets", "posts"), "id", inc.posts);
    return inc;
}

std::string referenced(const json& post, const char* type) {
    const json& refs = eitherMember(post, "referenced_tweets", "referenced_posts");
    if (refs.is_array()) {
        for (const auto& r : refs) {
            if (textAt(r, "type") == type) {
                return textAt(r, "id");
            }
        }
    }
    return {};
}

Post readPost(const json& original, const Includes& inc) {
    if (!original.is_object() || textAt(original, "id").empty()) {
        throw std::runtime_error("expected a post object with an id");
    }
    Post post;
    const json* p = &original;
    // A retweet's own text is "RT @x: ..." cut at 140 characters; show the original instead.
    if (auto rt = referenced(original, "retweeted"); !rt.empty() && inc.posts.count(rt)) {
        p = inc.posts.at(rt);
        post.isRepost = true;
    }
    const std::string id = textAt(*p, "id");
    post.source = "x";
    post.id = "x:x.com:" + id;
    auto when = parseIsoTime(textAt(*p, "created_at"));
    if (!when) {
        when = snowflakeTime(id);
    }
    if (!when) {
        throw std::runtime_error("post " + id + " has no created_at and no usable id");
    }
    post.createdAt = *when;
    const json& note = eitherMember(*p, "note_tweet", "note_post");
    std::string text = textAt(note, "text");
    if (text.empty()) {
        text = textAt(*p, "text");
    }
    const json& entities = memberAt(note, "entities").is_object() ? memberAt(note, "entities")
                                                                  : memberAt(*p, "entities");
    if (const json& urls = memberAt(entities, "urls"); urls.is_array()) {
        for (const auto& u : urls) {
            const std::string shortUrl = textAt(u, "url");
            const std::string expanded = webUrlOrEmpty(textAt(u, "expanded_url"));
            if (!textAt(u, "media_key").empty()) {
                replaceAll(text, shortUrl, ""); // the picture itself is the media
                continue;
            }
            const std::string display = textAt(u, "display_url");
            replaceAll(text, shortUrl, display.empty() ? expanded : display);
            if (!expanded.empty()) {
                post.links.push_back(expanded);
            }
        }
    }
    if (const json& tags = memberAt(entities, "hashtags"); tags.is_array()) {
        for (const auto& t : tags) {
            if (auto tag = textAt(t, "tag"); !tag.empty()) {
                post.hashtags.push_back(tag);
            }
        }
    }
    if (const json& mentions = memberAt(entities, "mentions"); mentions.is_array()) {
        for (const auto& m : mentions) {
            if (auto name = textAt(m, "username"); !name.empty()) {
                post.mentions.push_back(name);
            }
        }
    }
    post.text = unescapeXText(text);
    while (!post.text.empty() && (post.text.back() == ' ' || post.text.back() == '\n')) {
        post.text.pop_back();
    }
    const std::string authorId = textAt(*p, "author_id");
    if (auto it = inc.users.find(authorId); it != inc.users.end()) {
        const json& user = *it->second;
        const std::string username = textAt(user, "username");
        post.author.handle = username.empty() ? "" : "@" + username;
        post.author.name = cleanInlineText(textAt(user, "name"));
        post.author.url = username.empty() ? "" : "https://x.com/" + username;
        // _normal is 48 px; the 400x400 variant reads from the back of a room.
        std::string avatar = webUrlOrEmpty(textAt(user, "profile_image_url"));
        if (auto pos = avatar.rfind("_normal."); pos != std::string::npos) {
            avatar.replace(pos, 7, "_400x400");
        }
        post.author.avatar = avatar;
        if (post.author.name.empty()) {
            post.author.name = username;
        }
    }
    if (post.author.name.empty()) {
        post.author.name = "X user"; // the response lacked the author_id expansion
    }
    post.url = "https://x.com/" +
               (post.author.handle.empty() ? std::string("i/web") : post.author.handle.substr(1)) +
               "/status/" + id;
    const std::string lang = textAt(*p, "lang");
    post.lang = (lang == "qme" || lang == "zxx" || lang == "und" || lang == "qht") ? "" : lang;
    post.sensitive = flagAt(*p, "possibly_sensitive");
    if (auto parent = referenced(*p, "replied_to"); !parent.empty()) {
        post.isReply = true;
        post.parentId = "x:x.com:" + parent;
    }
    if (auto quoted = referenced(*p, "quoted"); !quoted.empty() && inc.posts.count(quoted)) {
        const json& q = *inc.posts.at(quoted);
        if (auto u = inc.users.find(textAt(q, "author_id")); u != inc.users.end()) {
            post.context = "quoting @" + textAt(*u->second, "username");
        }
    }
    if (const json& keys = memberAt(memberAt(*p, "attachments"), "media_keys"); keys.is_array()) {
        for (const auto& k : keys) {
            auto it = k.is_string() ? inc.media.find(k.get<std::string>()) : inc.media.end();
            if (it == inc.media.end()) {
                continue;
            }
            const json& m = *it->second;
            const std::string type = textAt(m, "type");
            Media media;
            media.kind = type == "photo" ? "image" : type == "animated_gif" ? "gifv" : type;
            media.url = webUrlOrEmpty(textAt(m, type == "photo" ? "url" : "preview_image_url"));
            media.alt = textAt(m, "alt_text");
            media.width = jsonDimension(m, "width");
            media.height = jsonDimension(m, "height");
            if (!media.url.empty()) {
                post.media.push_back(std::move(media));
            }
        }
    }
    return post;
}

} // namespace

std::string unescapeXText(std::string_view text) {
    std::string out(text);
    replaceAll(out, "&lt;", "<");
    replaceAll(out, "&gt;", ">");
    replaceAll(out, "&amp;", "&"); // last, so "&amp;lt;" stays "&lt;"
    return out;
}

std::optional<UnixTime> snowflakeTime(const std::string& id) {
    unsigned long long value = 0;
    auto r = std::from_chars(id.data(), id.data() + id.size(), value);
    if (r.ec != std::errc() || r.ptr != id.data() + id.size() || value < (1ull << 32)) {
        return std::nullopt;
    }
    return UnixTime(((value >> 22) + 1288834974657ull) / 1000);
}

std::string implausibleXId(const std::string& id, UnixTime createdAt, UnixTime now) {
    const auto idTime = snowflakeTime(id);
    if (idTime && std::max(now, createdAt) > 0 &&
        *idTime > std::max(now, createdAt) + kClockSkewSeconds) {
        return "its id " + id + " stands for " + formatIsoTime(*idTime) + ", in the future";
    }
    return {};
}

Result<ParseOutput> parseXPosts(std::string_view body, const ParseContext&) {
    UntrustedJson parsed = parseUntrustedJson(body);
    if (!parsed.problem.empty()) {
        return Error{parsed.problem + " (expected an X API v2 response)"};
    }
    const json& doc = parsed.doc;
    if (!doc.is_object()) {
        return Error{"expected an X API v2 response object, got " + std::string(doc.type_name())};
    }
    ParseOutput out;
    const json& meta = memberAt(doc, "meta");
    out.nextPage = textAt(meta, "next_token");
    out.newestId = textAt(meta, "newest_id");
    const json& data = memberAt(doc, "data");
    if (data.is_null()) {
        // No data and errors only: the request itself failed (auth, quota, bad query).
        const json& errors = memberAt(doc, "errors");
        if (errors.is_array() && !errors.empty()) {
            const json& e = errors[0];
            std::string what = textAt(e, "message");
            if (what.empty()) {
                what = textAt(e, "detail");
            }
            return Error{"X said: " + what};
        }
        if (!textAt(doc, "title").empty()) {
            return Error{"X said: " + textAt(doc, "title") + ": " + textAt(doc, "detail")};
        }
        if (memberAt(meta, "result_count").is_number()) {
            return out; // a search with no results
        }
        return Error{"expected an X API v2 response with \"data\""};
    }
    const Includes inc = indexIncludes(doc);
    std::vector<const json*> items;
    if (data.is_array()) {
        for (const auto& d : data) {
            items.push_back(&d);
        }
    } else {
        items.push_back(&data);
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
        out.record("post", i, [&] { return readPost(*items[i], inc); });
    }
    return out;
}

XSource::XSource(Settings settings) : settings_(std::move(settings)) {}

std::vector<std::string> XSource::hosts() const {
    return {hostOf(settings_.apiBase)};
}

std::string XSource::requestUrl(const std::string& nextToken) const {
    // X answers 400 to field names it does not know, so only the documented tweet.* names are
    // requested; the parser reads both the tweet and the newer post spellings.
    std::string url = trimTrailingSlash(settings_.apiBase) +
                      "/2/tweets/search/recent?query=" + percentEncode(settings_.query) +
                      "&max_results=" + std::to_string(settings_.maxResults) +
                      "&expansions=author_id,attachments.media_keys,referenced_tweets.id"
                      "&tweet.fields=created_at,lang,possibly_sensitive,entities,"
                      "referenced_tweets,attachments,note_tweet,author_id"
                      "&user.fields=name,username,profile_image_url"
                      "&media.fields=url,preview_image_url,alt_text,type,width,height";
    if (!sinceId_.empty()) {
        url += "&since_id=" + sinceId_;
    }
    if (!nextToken.empty()) {
        url += "&next_token=" + percentEncode(nextToken);
    }
    return url;
}

PollOutput XSource::poll(HttpClient& http, const PollSettings& settings) {
    PollOutput out;
    // The first poll reads the newest page only (a wall wants what is happening now, and X
    // bills every post read). Later polls read everything since since_id, page by page, so a
    // burst bigger than one page is not lost; since_id moves only once every page has come.
    const bool catchingUp = !sinceId_.empty();
    std::string newest, next;
    for (int page = 0; page < settings_.maxPages; ++page) {
        HttpRequest request = settings.request(requestUrl(next));
        request.headers.emplace_back("Authorization", "Bearer " + settings_.bearerToken);
        ++out.requests;
        Fetched fetched = fetchAndParse(http, request, parseXPosts, {"x.com", settings.now}, "x");
        if (!fetched.ok()) {
            out.error = fetched.error;
            return out; // since_id stays: the next poll reads this stretch again
        }
        std::string newestKept;
        std::erase_if(fetched.out.posts, [&](const Post& post) {
            const std::string id = post.id.substr(post.id.rfind(':') + 1);
            const std::string why = implausibleXId(id, post.createdAt, settings.now);
            if (!why.empty()) {
                logWarn("x", request.url + ": skipped post " + id + ": " + why);
                fetched.out.skipped.push_back(why);
            } else if (newestKept.empty() || numericIdNewer(id, newestKept)) {
                newestKept = id;
            }
            return !why.empty();
        });
        out.skippedRecords += int(fetched.out.skipped.size());
        for (auto& post : fetched.out.posts) {
            out.posts.push_back(std::move(post));
        }
        if (page == 0) {
            // since_id moves to the page's newest_id only when that id can be right; else to
            // the newest post that passed.
            newest = fetched.out.newestId;
            if (!implausibleXId(newest, 0, settings.now).empty() ||
                (!newestKept.empty() && numericIdNewer(newestKept, newest))) {
                newest = newestKept;
            }
        }
        next = fetched.out.nextPage;
        if (!catchingUp || next.empty()) {
            next.clear();
            break;
        }
    }
    if (!next.empty()) {
        logWarn("x", label() + ": more than " + std::to_string(settings_.maxPages) + " pages of " +
                         std::to_string(settings_.maxResults) +
                         " posts since the last poll; the older ones are left out (raise "
                         "max_pages or max_results to read them; X bills every post read)");
    }
    if (!newest.empty()) {
        sinceId_ = newest;
    }
    return out;
}

std::unique_ptr<Source> makeXSource(ObjectReader& r, const SourceContext&) {
    XSource::Settings s;
    s.bearerToken = r.string("bearer_token", "", true);
    const auto hashtags = r.stringList("hashtags");
    s.query = r.string("query", "");
    if (s.query.empty()) {
        for (const auto& tag : hashtags) {
            s.query += (s.query.empty() ? "" : " OR ") +
                       ("#" + (tag.rfind('#', 0) == 0 ? tag.substr(1) : tag));
        }
        if (!s.query.empty()) {
            s.query = (hashtags.size() > 1 ? "(" + s.query + ")" : s.query) + " -is:retweet";
        }
    }
    if (s.query.empty()) {
        r.error("hashtags", "required: the hashtags to search for (or a \"query\")");
    }
    s.apiBase = r.string("api_base", s.apiBase);
    s.maxResults = int(r.integer("max_results", 25, 10, 100));
    s.maxPages = int(r.integer("max_pages", 4, 1, 10));
    s.interval = std::chrono::seconds(r.integer("poll_seconds", 300, 60, 86400));
    return std::make_unique<XSource>(std::move(s));
}

} // namespace kiosk
