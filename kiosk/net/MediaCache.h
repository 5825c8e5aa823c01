// Avatars and post images on disk, for the renderer to decode: a size-capped folder with
// least-recently-used eviction. Every download is checked before it is kept: http(s) only,
// an image content type, image magic bytes, and a declared size within limits, so hostile
// files never reach a decoder. A worker thread fills it from a queue of wanted URLs.
#pragma once

#include "kiosk/base/Result.h"
#include "kiosk/base/Time.h"
#include "kiosk/net/HttpClient.h"
#include "kiosk/store/Database.h"

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
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
    // Downloads, checks and stores url; returns the local path or why it was refused.
    // `outage`, when given, is set when no answer came at all or the server answered 5xx: worth
    // trying again soon, unlike a 404 or a file that is not a picture.
    Result<std::string> download(HttpClient& http, const std::string& url, bool* outage = nullptr);
    // Hosts on the LAN or the board itself that pictures may come from: the configured sources'
    // own (a venue's Mastodon). Every other picture must come from a public address.
    void allowPrivateHosts(std::vector<std::string> hosts);
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
    std::map<std::string, Entry> entries_;  // guarded by mutex_; key: file stem (hash of url)
    std::uint64_t total_ = 0;               // guarded by mutex_
    std::uint64_t useCounter_ = 0;          // guarded by mutex_
    Database* index_ = nullptr;             // guarded by mutex_
    std::vector<std::string> privateHosts_; // guarded by mutex_
    std::function<UnixTime()> clock_;
};

// Downloads queued URLs in the background. A URL that failed is not asked again for an hour
// (a 404, not a picture), or for a minute when the network or the server was down, so the
// avatars are back soon after the venue's Wi-Fi is.
class MediaWorker {
public:
    using ClientFactory = std::function<std::unique_ptr<HttpClient>()>;
    using Clock = std::function<UnixTime()>;
    // threads: downloads at the same time (each with its own client); how many go to one host
    // at once is the clients' HostPolicy's business.
    MediaWorker(MediaCache& cache, ClientFactory clients, Clock clock,
                std::function<void(const std::string& url)> onReady = nullptr, int threads = 4);
    ~MediaWorker();
    MediaWorker(const MediaWorker&) = delete;
    MediaWorker& operator=(const MediaWorker&) = delete;

    void enqueue(const std::vector<std::string>& urls);
    // Moves these to the front of the queue, in this order (the cards about to show).
    void prioritise(const std::vector<std::string>& urls);
    void start();
    void stop();
    // Downloads everything queued now, on this thread (tests, `kiosk fetch`).
    void drain();

private:
    bool takeOne(std::string& url);
    void process(HttpClient& http, const std::string& url);

    MediaCache& cache_;
    ClientFactory clients_;
    Clock clock_;
    std::function<void(const std::string&)> onReady_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::string> queue_;          // guarded by mutex_
    std::set<std::string> queued_;           // guarded by mutex_
    std::set<std::string> active_;           // guarded by mutex_; being downloaded now
    std::map<std::string, UnixTime> failed_; // guarded by mutex_; url -> when it failed
    bool stopping_ = false;                  // guarded by mutex_
    int threadCount_;
    std::vector<std::thread> threads_;
};

} // namespace kiosk
