// The wall's memory on disk (SQLite, WAL): posts with their moderation verdicts, the
// organiser's decisions, pins and announcements, each source's cursor, the media cache's index
// and a wall group's decisions. A restart shows the last posts at once,
// even with no network, resumes every source where it stopped, and never shows a post that
// was hidden before. Organiser decisions are written with synchronous=FULL: when the call
// returns, a power cut cannot take them back. One connection, used from one thread at a time
// (the store's mutex serialises callers).
#pragma once

#include "kiosk/base/Result.h"
#include "kiosk/model/Moderation.h"
#include "kiosk/model/Post.h"
#include "kiosk/model/SharedChange.h"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace kiosk {

struct StoredPost {
    Post post;
    Verdict verdict = Verdict::Show;
    Reason reason;
};

class Database {
public:
    // Opens (creating and migrating as needed) the database at path; ":memory:" for tests.
    static Result<std::unique_ptr<Database>> open(const std::string& path);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    static constexpr int kSchemaVersion = 5;
    // In open()'s error when the file exists but SQLite cannot read it as a database (garbage,
    // truncated): the caller may move it aside and start a fresh one.
    static constexpr const char* kDamaged = "not a database: ";
    int schemaVersion();

    // Posts as moderation left them; an edited post replaces its earlier version.
    void savePosts(const std::vector<StoredPost>& posts, UnixTime now);
    // Newest first; only those with the verdict, when given.
    std::vector<StoredPost> loadPosts(std::size_t limit, std::optional<Verdict> verdict = {});
    std::optional<StoredPost> loadPost(const std::string& id);
    std::size_t countPosts(Verdict verdict);
    void deletePosts(const std::vector<std::string>& ids);

    // The organiser's word on a post; durable when this returns.
    void saveDecision(const std::string& postId, Verdict verdict, UnixTime now);
    std::vector<std::pair<std::string, Verdict>> loadDecisions();

    // Per-source state (cursors, ETags, session tokens) as an opaque string.
    void saveSourceState(const std::string& source, const std::string& state);
    std::optional<std::string> sourceState(const std::string& source);

    // Pinned posts recur on the wall until unpinned; durable like decisions.
    void setPinned(const std::string& postId, bool pinned);
    std::vector<std::string> loadPinned();

    // The organiser's own cards; durable like decisions.
    struct Announcement {
        std::string id;
        std::string text;
        UnixTime from = 0;
        UnixTime until = 0;
    };
    void saveAnnouncement(const Announcement& announcement);
    void deleteAnnouncement(const std::string& id);
    std::vector<Announcement> loadAnnouncements();

    // The media cache's index: which file holds which URL's picture, its size, its last use.
    struct MediaEntry {
        std::string key; // hash of the URL, also the file's stem
        std::string file;
        std::uint64_t bytes = 0;
        UnixTime lastUse = 0;
    };
    void saveMedia(const MediaEntry& entry);
    void deleteMedia(const std::string& key);
    std::vector<MediaEntry> loadMedia(); // least recently used first

    // A wall group's decisions as this screen last knew them (kiosk/group): the newest per key,
    // and whether this screen made it while the broker was away (still to be sent).
    void saveGroupDecision(const SharedChange& change, bool pending);
    std::vector<std::pair<SharedChange, bool>> loadGroupDecisions();

    // After the event: every post, verdict, organiser decision, pin, page announcement and
    // group decision goes (the media index with the files, by MediaCache::clear). Source
    // positions stay, so old posts are not fetched again. Durable when this returns.
    void wipeEvent();

    // Keeps at most maxPosts and nothing older than maxAge seconds (pinned and decided posts
    // stay).
    std::size_t retain(std::size_t maxPosts, UnixTime maxAge, UnixTime now);

    // Copies what can still be read of a damaged database file (opened read-only, row by row
    // until the first unreadable one) into this one: the organiser's decisions, group
    // decisions, pins, announcements and source positions; posts come again from the sources.
    // "12 decisions, 1 pin" or "" when nothing could be read.
    std::string salvageFrom(const std::string& damagedPath);

    // A write failed for want of space since the last write that succeeded: the organiser's
    // page says so. Cleared by the next write that gets through.
    bool diskFull();
    // Caps the file at this many pages: how a full disk looks to SQLite (SQLITE_FULL), for the
    // tests that prove the wall keeps showing.
    void capPages(long long pages);

private:
    explicit Database(sqlite3* db) : db_(db) {}
    Result<bool> migrate();
    bool exec(const char* sql);
    // Logs a write that did not happen. A full disk is logged once per episode in words an
    // organiser can act on (a line for every post of every poll would only fill the journal
    // that shares the disk); other failures every time.
    void writeFailed(const std::string& what);
    void writeSucceeded();
    void commit();
    // Runs a write that must survive a power cut once this returns.
    template <class F> void durably(F&& write);

    std::mutex mutex_;
    sqlite3* db_;           // guarded by mutex_
    bool diskFull_ = false; // guarded by mutex_
};

// $XDG_DATA_HOME/kiosk/wall.db (or ~/.local/share/kiosk/wall.db).
std::string defaultDatabasePath();

} // namespace kiosk
