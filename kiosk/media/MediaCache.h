// Avatars and post images on disk, for the renderer to decode: a size-capped folder with
// least-recently-used eviction and its index in the wall's database. Every file is checked
// before it is kept: an image content type, image magic bytes, a declared size within limits
// and a structure a decoder can finish, so hostile files never reach a decoder. The downloads
// that fill it are fetch/MediaDownloads.
#pragma once

#include "kiosk/base/Result.h"
#include "kiosk/base/Time.h"
#include "kiosk/store/Database.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kiosk {

struct MediaLimits {
    std::uint64_t maxCacheBytes = 200ull * 1024 * 1024;
    std::size_t maxFileBytes = 8 * 1024 * 1024;
    int maxSide = 8192;
    long long maxPixels = 40'000'000;
};

class MediaCache {
public:
    MediaCache(std::filesystem::path dir, MediaLimits limits);

    // The cached file for url, or nullopt; a hit counts as a use for eviction.
    std::optional<std::string> find(const std::string& url);
    // The same without counting a use: for the control page, which only looks.
    std::optional<std::string> peek(const std::string& url) const;
    // The cached file whose key (the hash of its URL, the file's stem) is `key`, if any.
    std::optional<std::string> fileForKey(const std::string& key) const;
    // Checks and keeps the bytes fetched from url (contentType as the server said; "" when it
    // did not); returns the local path or why it was refused, naming the URL.
    Result<std::string> keep(const std::string& url, std::string_view bytes,
                             const std::string& contentType);
    const MediaLimits& limits() const { return limits_; }
    // Keeps a photo an attendee sent (already re-encoded) apart from the downloads: never
    // evicted, found by the returned "venue-photo:<hash>" URL like any cached picture.
    Result<std::string> keepPhoto(std::string_view jpeg);
    // Deletes every cached file and kept photo (after the event); returns how many.
    std::size_t clear();
    std::uint64_t totalBytes() const;
    std::size_t count() const;
    // Keeps the index in the wall's database as well: last uses survive restarts exactly, and
    // entries whose file is gone are dropped. clock supplies the time of each use.
    void attachIndex(Database& db, std::function<UnixTime()> clock);

    static constexpr const char* kPhotoScheme = "venue-photo:";

private:
    std::filesystem::path photoPath(const std::string& key) const;
    struct Entry {
        std::filesystem::path path;
        std::uint64_t bytes = 0;
        std::uint64_t lastUse = 0;
    };
    void evictLocked(std::uint64_t incoming);

    std::filesystem::path dir_;
    MediaLimits limits_;
    mutable std::mutex mutex_;
    std::map<std::string, Entry> entries_; // guarded by mutex_; key: file stem (hash of url)
    std::uint64_t total_ = 0;              // guarded by mutex_
    std::uint64_t useCounter_ = 0;         // guarded by mutex_
    Database* index_ = nullptr;            // guarded by mutex_
    std::function<UnixTime()> clock_;
};

} // namespace kiosk
