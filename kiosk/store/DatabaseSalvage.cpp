// Database::salvageFrom: what a wall keeps of the organiser's word when its database file is
// damaged. SQLite reads a damaged file table by table and row by row up to the first page it
// cannot read; every row read before that is worth keeping.
#include "kiosk/store/Database.h"

#include "kiosk/base/Log.h"

#include <sqlite3.h>

namespace kiosk {
namespace {

struct Kept {
    const char* table;
    const char* noun; // what a row is, for the log line
};
constexpr Kept kKept[] = {{"decisions", "decision"},
                          {"group_decisions", "group decision"},
                          {"pins", "pin"},
                          {"announcements", "announcement"},
                          {"source_state", "source position"}};

// Copies the readable rows of one table; returns how many.
int copyRows(sqlite3* from, sqlite3* to, const char* table) {
    sqlite3_stmt* read = nullptr;
    if (sqlite3_prepare_v2(from, (std::string("SELECT * FROM ") + table).c_str(), -1, &read,
                           nullptr) != SQLITE_OK) {
        sqlite3_finalize(read);
        return 0; // the table's schema is unreadable, or an older file has no such table
    }
    // Columns by name: an older file may have fewer; the fresh schema fills in defaults.
    std::string names, marks;
    const int columns = sqlite3_column_count(read);
    for (int i = 0; i < columns; ++i) {
        names += (i ? ", " : "") + std::string(sqlite3_column_name(read, i));
        marks += i ? ", ?" : "?";
    }
    sqlite3_stmt* write = nullptr;
    const std::string insert =
        std::string("INSERT OR IGNORE INTO ") + table + " (" + names + ") VALUES (" + marks + ")";
    int copied = 0;
    if (sqlite3_prepare_v2(to, insert.c_str(), -1, &write, nullptr) == SQLITE_OK) {
        while (sqlite3_step(read) == SQLITE_ROW) {
            for (int i = 0; i < columns; ++i) {
                sqlite3_bind_value(write, i + 1, sqlite3_column_value(read, i));
            }
            copied += sqlite3_step(write) == SQLITE_DONE;
            sqlite3_reset(write);
        }
    }
    sqlite3_finalize(write);
    sqlite3_finalize(read);
    return copied;
}

} // namespace

std::string Database::salvageFrom(const std::string& damagedPath) {
    // Read-only first, with the write-ahead log that a killed wall leaves (the newest decisions
    // are there); then as an immutable file, for when the log itself cannot be read.
    for (const char* how : {"?mode=ro", "?immutable=1"}) {
        sqlite3* from = nullptr;
        const std::string uri = "file:" + damagedPath + how;
        if (sqlite3_open_v2(uri.c_str(), &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) !=
            SQLITE_OK) {
            sqlite3_close(from);
            continue;
        }
        // A file cut short is shorter than its header says, which SQLite refuses as corrupt
        // unless the schema is "writable"; the connection is read-only all the same.
        sqlite3_exec(from, "PRAGMA writable_schema=ON", nullptr, nullptr, nullptr);
        std::string found;
        std::lock_guard lock(mutex_);
        exec("BEGIN");
        for (const auto& kept : kKept) {
            if (const int n = copyRows(from, db_, kept.table); n > 0) {
                found += (found.empty() ? "" : ", ") + std::to_string(n) + " " + kept.noun +
                         (n == 1 ? "" : "s");
            }
        }
        commit();
        sqlite3_close(from);
        if (!found.empty()) {
            return found;
        }
    }
    return {};
}

} // namespace kiosk
