// See Database.h. Statements are prepared per call: a wall writes a few batches a minute.
#include "kiosk/store/Database.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/UserDirs.h"

#include <sqlite3.h>

#include <filesystem>

namespace kiosk {
namespace {

// A prepared statement that finalizes itself.
class Statement {
public:
    Statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
            logError("store", std::string("cannot prepare a statement: ") + sqlite3_errmsg(db));
            stmt_ = nullptr;
        }
    }
    ~Statement() { sqlite3_finalize(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    explicit operator bool() const { return stmt_ != nullptr; }
    Statement& bind(int i, const std::string& v) {
        sqlite3_bind_text(stmt_, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Statement& bind(int i, long long v) {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    bool step() { return stmt_ && sqlite3_step(stmt_) == SQLITE_ROW; }
    bool run() {
        const int rc = stmt_ ? sqlite3_step(stmt_) : SQLITE_ERROR;
        sqlite3_reset(stmt_);
        return rc == SQLITE_DONE;
    }
    std::string text(int col) const {
        const auto* t = sqlite3_column_text(stmt_, col);
        return t ? std::string(reinterpret_cast<const char*>(t),
                               std::size_t(sqlite3_column_bytes(stmt_, col)))
                 : std::string();
    }
    long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }
    void reset() {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }

private:
    sqlite3_stmt* stmt_ = nullptr;
};

// Columns 2 and 3 of the post queries: reason_kind, reason.
Reason storedReason(const Statement& s) {
    return {reasonKindNamed(s.text(2)), s.text(3)};
}

// How a post reads in the lists once the organiser has decided on it.
ReasonKind organiserReason(Verdict verdict) {
    return verdict == Verdict::Show    ? ReasonKind::Approved
           : verdict == Verdict::Queue ? ReasonKind::RemovalAsked
                                       : ReasonKind::HiddenByOrganiser;
}

} // namespace

std::string defaultDatabasePath() {
    return userDir(UserDir::Data) + "/wall.db";
}

Result<std::unique_ptr<Database>> Database::open(const std::string& path) {
    if (path != ":memory:") {
        std::error_code ec;
        std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
    }
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(path.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string why = raw ? sqlite3_errmsg(raw) : "out of memory";
        sqlite3_close(raw);
        return Error{path + ": cannot open the database: " + why};
    }
    sqlite3_busy_timeout(raw, 5000); // another process (a second wall, a test) may be writing
    std::unique_ptr<Database> db(new Database(raw));
    if (auto migrated = db->migrate(); !migrated) {
        return Error{path + ": " + migrated.error()};
    }
    return db;
}

Database::~Database() {
    sqlite3_close(db_);
}

bool Database::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        if (sqlite3_errcode(db_) == SQLITE_FULL) {
            writeFailed("changes"); // the SQL itself means nothing to an organiser
        } else {
            logError("store", std::string(err ? err : "error") + " in: " + sql);
        }
        sqlite3_free(err);
        return false;
    }
    if (std::string_view(sql) == "COMMIT") {
        writeSucceeded();
    }
    return true;
}

void Database::commit() {
    // SQLite rolls a transaction back by itself when a write in it fails for want of space;
    // a COMMIT then would only add "no transaction is active" to the one line already logged.
    if (!sqlite3_get_autocommit(db_)) {
        exec("COMMIT");
    }
}

void Database::writeFailed(const std::string& what) {
    if (sqlite3_errcode(db_) != SQLITE_FULL) {
        logError("store", what + " not saved: " + sqlite3_errmsg(db_));
        return;
    }
    if (!diskFull_) {
        const char* file = sqlite3_db_filename(db_, "main");
        logError("store", std::string(file && *file ? file : "the database") +
                              ": the disk is full (" + what +
                              " not saved). The wall keeps showing what it has, but new posts "
                              "and the organiser's decisions are not kept across a restart "
                              "until space is freed on that disk");
    }
    diskFull_ = true;
}

void Database::writeSucceeded() {
    if (diskFull_) {
        logInfo("store", "there is space on the disk again: saving posts and decisions");
    }
    diskFull_ = false;
}

bool Database::diskFull() {
    std::lock_guard lock(mutex_);
    return diskFull_;
}

void Database::capPages(long long pages) {
    std::lock_guard lock(mutex_);
    exec(("PRAGMA max_page_count = " + std::to_string(pages)).c_str());
}

int Database::schemaVersion() {
    std::lock_guard lock(mutex_);
    Statement s(db_, "PRAGMA user_version");
    return s.step() ? int(s.integer(0)) : -1;
}

Result<bool> Database::migrate() {
    std::lock_guard lock(mutex_);
    int version = 0;
    {
        // First, so that a damaged file is one clear error rather than one per pragma.
        Statement s(db_, "PRAGMA user_version");
        if (!s.step()) {
            return Error{std::string(kDamaged) + sqlite3_errmsg(db_)};
        }
        version = int(s.integer(0));
    }
    exec("PRAGMA journal_mode=WAL");
    // The wall reads its posts once at start and then mostly writes: a small page cache (512 KB
    // instead of 2 MB) costs nothing measurable and is memory a small board keeps.
    exec("PRAGMA cache_size=-512");
    exec("PRAGMA synchronous=NORMAL");
    // Page 1 can be fine while pages behind it are garbage (a bad SD card, a cut-short file):
    // such a file would fail one query or another for ever, so it counts as damaged now.
    if (version > 0) {
        Statement check(db_, "PRAGMA quick_check(1)");
        const std::string verdict = check.step() ? check.text(0) : sqlite3_errmsg(db_);
        if (verdict != "ok") {
            return Error{std::string(kDamaged) + verdict};
        }
    }
    if (version > kSchemaVersion) {
        return Error{"the database is from a newer kiosk (schema " + std::to_string(version) +
                     "); refusing to change it"};
    }
    // Each step brings the schema from version i to i+1, in one transaction.
    static const char* kSteps[] = {
        "CREATE TABLE posts (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, "
        "  first_seen INTEGER NOT NULL, json TEXT NOT NULL, verdict INTEGER NOT NULL, "
        "  reason TEXT NOT NULL DEFAULT '');"
        "CREATE INDEX posts_by_time ON posts(created_at DESC);"
        "CREATE TABLE decisions (post_id TEXT PRIMARY KEY, verdict INTEGER NOT NULL, "
        "  decided_at INTEGER NOT NULL);"
        "CREATE TABLE source_state (source TEXT PRIMARY KEY, state TEXT NOT NULL);",
        // 2: what the organiser adds to the wall.
        "CREATE TABLE pins (post_id TEXT PRIMARY KEY);"
        "CREATE TABLE announcements (id TEXT PRIMARY KEY, text TEXT NOT NULL, "
        "  from_time INTEGER NOT NULL DEFAULT 0, until_time INTEGER NOT NULL DEFAULT 0);",
        // 3: the media cache's index.
        "CREATE TABLE media (key TEXT PRIMARY KEY, file TEXT NOT NULL, bytes INTEGER NOT NULL, "
        "  last_use INTEGER NOT NULL);",
        // 4: reasons as kind + subject; the words of older builds are read back where a
        // kind is known (so unblocking finds what an older block hid), kept as text else.
        "ALTER TABLE posts ADD COLUMN reason_kind TEXT NOT NULL DEFAULT '';"
        "UPDATE posts SET reason_kind = 'approved', reason = '' WHERE reason = 'approved by "
        "organiser';"
        "UPDATE posts SET reason_kind = 'hidden', reason = '' WHERE reason = 'hidden by organiser';"
        "UPDATE posts SET reason_kind = 'waiting', reason = '' WHERE reason = 'waiting for "
        "approval';"
        "UPDATE posts SET reason_kind = 'blocked_author', reason = substr(reason, 31) "
        "  WHERE reason_kind = '' AND substr(reason, 1, 30) = 'author blocked by organiser: @';"
        "UPDATE posts SET reason_kind = 'blocked_server', reason = substr(reason, 39) "
        "  WHERE reason_kind = '' AND substr(reason, 1, 38) = 'author''s server blocked by "
        "organiser: ';"
        "UPDATE posts SET reason_kind = 'blocked_link', reason = substr(reason, 26) "
        "  WHERE reason_kind = '' AND substr(reason, 1, 25) = 'links to a blocked site: ';"
        "UPDATE posts SET reason_kind = 'blocked_word', reason = substr(reason, 15) "
        "  WHERE reason_kind = '' AND substr(reason, 1, 14) = 'blocked word: ';"
        "UPDATE posts SET reason_kind = 'described' WHERE reason_kind = '' AND reason <> '';",
        // 5: a wall group's decisions, so a screen works alone when the broker is away.
        "CREATE TABLE group_decisions (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
        "  at_ms INTEGER NOT NULL, screen TEXT NOT NULL, pending INTEGER NOT NULL);",
    };
    for (int v = version; v < kSchemaVersion; ++v) {
        const std::string step = std::string("BEGIN;") + kSteps[v] +
                                 "PRAGMA user_version=" + std::to_string(v + 1) + ";COMMIT;";
        if (!exec(step.c_str())) {
            const std::string why = sqlite3_errmsg(db_); // before ROLLBACK replaces it
            if (!sqlite3_get_autocommit(db_)) {
                exec("ROLLBACK"); // SQLite has rolled back by itself after a full disk
            }
            return Error{"migrating to schema " + std::to_string(v + 1) + " failed: " + why};
        }
        logInfo("store", "database schema now at version " + std::to_string(v + 1));
    }
    return true;
}

void Database::savePosts(const std::vector<StoredPost>& posts, UnixTime now) {
    if (posts.empty()) {
        return;
    }
    std::lock_guard lock(mutex_);
    exec("BEGIN");
    Statement s(
        db_, "INSERT INTO posts (id, created_at, first_seen, json, verdict, reason, reason_kind) "
             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(id) DO UPDATE SET "
             "json = excluded.json, verdict = excluded.verdict, reason = excluded.reason, "
             "reason_kind = excluded.reason_kind");
    // A fetch judges its posts before it writes them; an organiser's decision taken in between
    // is already in `decisions` and outranks the older verdict (tests/durability/kill_rounds.py,
    // DatabaseTest.AFetchWrittenAfterADecisionKeepsTheDecision).
    Statement decided(db_, "SELECT verdict FROM decisions WHERE post_id = ?1");
    for (const auto& p : posts) {
        Verdict verdict = p.verdict;
        Reason reason = p.reason;
        decided.bind(1, p.post.id);
        if (decided.step()) {
            const auto organiser = static_cast<Verdict>(decided.integer(0));
            if (organiser != verdict) {
                verdict = organiser;
                reason = {organiserReason(organiser), ""};
            }
        }
        decided.reset();
        s.bind(1, p.post.id)
            .bind(2, p.post.createdAt)
            .bind(3, now)
            .bind(4, toJsonLine(p.post))
            .bind(5, static_cast<long long>(verdict))
            .bind(6, reason.subject)
            .bind(7, std::string(reasonKindName(reason.kind)));
        if (!s.run()) {
            writeFailed("post " + p.post.id);
        }
    }
    commit();
}

std::vector<StoredPost> Database::loadPosts(std::size_t limit, std::optional<Verdict> verdict) {
    std::lock_guard lock(mutex_);
    Statement s(db_,
                verdict ? "SELECT json, verdict, reason_kind, reason FROM posts WHERE verdict = ?2 "
                          "ORDER BY created_at DESC LIMIT ?1"
                        : "SELECT json, verdict, reason_kind, reason FROM posts "
                          "ORDER BY created_at DESC LIMIT ?1");
    s.bind(1, static_cast<long long>(limit));
    if (verdict) {
        s.bind(2, static_cast<long long>(*verdict));
    }
    std::vector<StoredPost> out;
    while (s.step()) {
        auto post = postFromJson(s.text(0));
        if (!post) {
            logWarn("store", "skipped a stored post that is not readable");
            continue;
        }
        out.push_back({std::move(*post), static_cast<Verdict>(s.integer(1)), storedReason(s)});
    }
    return out;
}

std::size_t Database::countPosts(Verdict verdict) {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT COUNT(*) FROM posts WHERE verdict = ?1");
    s.bind(1, static_cast<long long>(verdict));
    return s.step() ? std::size_t(s.integer(0)) : 0;
}

std::optional<StoredPost> Database::loadPost(const std::string& id) {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT json, verdict, reason_kind, reason FROM posts WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) {
        return std::nullopt;
    }
    auto post = postFromJson(s.text(0));
    if (!post) {
        logWarn("store", "stored post " + id + " is not readable");
        return std::nullopt;
    }
    return StoredPost{std::move(*post), static_cast<Verdict>(s.integer(1)), storedReason(s)};
}

void Database::deletePosts(const std::vector<std::string>& ids) {
    std::lock_guard lock(mutex_);
    Statement s(db_, "DELETE FROM posts WHERE id = ?1");
    for (const auto& id : ids) {
        s.bind(1, id);
        s.run();
    }
}

template <class F> void Database::durably(F&& write) {
    std::lock_guard lock(mutex_);
    // FULL makes the commit wait for the disk: the organiser's word survives a power cut.
    exec("PRAGMA synchronous=FULL");
    write();
    exec("PRAGMA synchronous=NORMAL");
}

void Database::setPinned(const std::string& postId, bool pinned) {
    durably([&] {
        Statement s(db_, pinned ? "INSERT OR IGNORE INTO pins (post_id) VALUES (?1)"
                                : "DELETE FROM pins WHERE post_id = ?1");
        s.bind(1, postId);
        s.run();
    });
}

std::vector<std::string> Database::loadPinned() {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT post_id FROM pins ORDER BY post_id");
    std::vector<std::string> out;
    while (s.step()) {
        out.push_back(s.text(0));
    }
    return out;
}

void Database::saveAnnouncement(const Announcement& a) {
    durably([&] {
        Statement s(db_, "INSERT INTO announcements (id, text, from_time, until_time) "
                         "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
                         "text = excluded.text, from_time = excluded.from_time, "
                         "until_time = excluded.until_time");
        s.bind(1, a.id).bind(2, a.text).bind(3, a.from).bind(4, a.until);
        s.run();
    });
}

void Database::deleteAnnouncement(const std::string& id) {
    durably([&] {
        Statement s(db_, "DELETE FROM announcements WHERE id = ?1");
        s.bind(1, id);
        s.run();
    });
}

std::vector<Database::Announcement> Database::loadAnnouncements() {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT id, text, from_time, until_time FROM announcements ORDER BY id");
    std::vector<Announcement> out;
    while (s.step()) {
        out.push_back({s.text(0), s.text(1), s.integer(2), s.integer(3)});
    }
    return out;
}

void Database::saveMedia(const MediaEntry& e) {
    std::lock_guard lock(mutex_);
    Statement s(db_, "INSERT INTO media (key, file, bytes, last_use) VALUES (?1, ?2, ?3, ?4) "
                     "ON CONFLICT(key) DO UPDATE SET file = excluded.file, bytes = excluded.bytes, "
                     "last_use = excluded.last_use");
    s.bind(1, e.key).bind(2, e.file).bind(3, static_cast<long long>(e.bytes)).bind(4, e.lastUse);
    s.run();
}

void Database::deleteMedia(const std::string& key) {
    std::lock_guard lock(mutex_);
    Statement s(db_, "DELETE FROM media WHERE key = ?1");
    s.bind(1, key);
    s.run();
}

std::vector<Database::MediaEntry> Database::loadMedia() {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT key, file, bytes, last_use FROM media ORDER BY last_use, key");
    std::vector<MediaEntry> out;
    while (s.step()) {
        out.push_back({s.text(0), s.text(1), std::uint64_t(s.integer(2)), s.integer(3)});
    }
    return out;
}

void Database::wipeEvent() {
    durably([&] {
        exec("BEGIN");
        for (const char* table :
             {"posts", "decisions", "pins", "announcements", "group_decisions"}) {
            exec((std::string("DELETE FROM ") + table).c_str());
        }
        commit();
    });
    std::lock_guard lock(mutex_);
    // The deleted text leaves the file too. A database in memory has no file, and VACUUM would
    // only copy it (the fuzz targets empty one for every input).
    if (const char* file = sqlite3_db_filename(db_, "main"); file && *file) {
        exec("VACUUM");
    }
}

void Database::saveGroupDecision(const SharedChange& change, bool pending) {
    durably([&] {
        Statement s(db_, "INSERT INTO group_decisions (key, value, at_ms, screen, pending) "
                         "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(key) DO UPDATE SET "
                         "value = excluded.value, at_ms = excluded.at_ms, "
                         "screen = excluded.screen, pending = excluded.pending");
        s.bind(1, change.key)
            .bind(2, change.value.dump())
            .bind(3, static_cast<long long>(change.atMs))
            .bind(4, change.screen)
            .bind(5, static_cast<long long>(pending));
        if (!s.run()) {
            writeFailed("group decision " + change.key);
        } else {
            writeSucceeded();
        }
    });
}

std::vector<std::pair<SharedChange, bool>> Database::loadGroupDecisions() {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT key, value, at_ms, screen, pending FROM group_decisions");
    std::vector<std::pair<SharedChange, bool>> out;
    while (s.step()) {
        SharedChange c{s.text(0), nlohmann::json::parse(s.text(1), nullptr, false), s.integer(2),
                       s.text(3)};
        if (!c.value.is_discarded()) {
            out.emplace_back(std::move(c), s.integer(4) != 0);
        }
    }
    return out;
}

void Database::saveDecision(const std::string& postId, Verdict verdict, UnixTime now) {
    durably([&] {
        Statement s(db_, "INSERT INTO decisions (post_id, verdict, decided_at) VALUES (?1, ?2, ?3) "
                         "ON CONFLICT(post_id) DO UPDATE SET verdict = excluded.verdict, "
                         "decided_at = excluded.decided_at");
        s.bind(1, postId).bind(2, static_cast<long long>(verdict)).bind(3, now);
        if (!s.run()) {
            writeFailed("the decision on " + postId);
        } else {
            writeSucceeded();
        }
        Statement post(db_, "UPDATE posts SET verdict = ?2, reason = '', reason_kind = ?3 "
                            "WHERE id = ?1");
        post.bind(1, postId)
            .bind(2, static_cast<long long>(verdict))
            .bind(3, std::string(reasonKindName(organiserReason(verdict))));
        post.run();
    });
}

std::vector<std::pair<std::string, Verdict>> Database::loadDecisions() {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT post_id, verdict FROM decisions");
    std::vector<std::pair<std::string, Verdict>> out;
    while (s.step()) {
        out.emplace_back(s.text(0), static_cast<Verdict>(s.integer(1)));
    }
    return out;
}

void Database::saveSourceState(const std::string& source, const std::string& state) {
    std::lock_guard lock(mutex_);
    Statement s(db_, "INSERT INTO source_state (source, state) VALUES (?1, ?2) "
                     "ON CONFLICT(source) DO UPDATE SET state = excluded.state");
    s.bind(1, source).bind(2, state);
    s.run();
}

std::optional<std::string> Database::sourceState(const std::string& source) {
    std::lock_guard lock(mutex_);
    Statement s(db_, "SELECT state FROM source_state WHERE source = ?1");
    s.bind(1, source);
    if (s.step()) {
        return s.text(0);
    }
    return std::nullopt;
}

std::size_t Database::retain(std::size_t maxPosts, UnixTime maxAge, UnixTime now) {
    std::lock_guard lock(mutex_);
    // Posts the organiser decided about are kept: their decision must outlive them.
    Statement old(db_, "DELETE FROM posts WHERE created_at < ?1 AND id NOT IN "
                       "(SELECT post_id FROM decisions) AND id NOT IN (SELECT post_id FROM pins)");
    old.bind(1, now - maxAge);
    old.run();
    std::size_t removed = std::size_t(sqlite3_changes(db_));
    Statement extra(db_, "DELETE FROM posts WHERE id IN (SELECT id FROM posts WHERE id NOT IN "
                         "(SELECT post_id FROM decisions) AND id NOT IN (SELECT post_id FROM pins) "
                         "ORDER BY created_at DESC LIMIT -1 OFFSET ?1)");
    extra.bind(1, static_cast<long long>(maxPosts));
    extra.run();
    removed += std::size_t(sqlite3_changes(db_));
    return removed;
}

} // namespace kiosk
