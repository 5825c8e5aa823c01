// Where the media cache's files come from: downloading one picture (http(s) only, public
// addresses only but for the sources' own hosts, within the cache's size limits), and the worker
// threads that download the pictures the wall wants, the cards about to show first.
#pragma once

#include "kiosk/media/MediaCache.h"
#include "kiosk/net/HttpClient.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace kiosk {

// Downloads url into the cache (a hit is answered from it); returns the local path or why it was
// refused. `privateHosts` may be on the LAN or the board itself; every other picture must come
// from a public address. `outage`, when given, is set when no answer came at all or the server
// answered 5xx: worth trying again soon, unlike a 404 or a file that is not a picture.
Result<std::string> downloadMedia(MediaCache& cache, HttpClient& http, const std::string& url,
                                  const std::vector<std::string>& privateHosts = {},
                                  bool* outage = nullptr);

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

    // Hosts on the LAN or the board itself that pictures may come from: the configured sources'
    // own (a venue's Mastodon). Every other picture must come from a public address.
    void allowPrivateHosts(std::vector<std::string> hosts);
    void enqueue(const std::vector<std::string>& urls);
    // Moves these to the front of the queue, in this order (the cards about to show).
    void prioritise(const std::vector<std::string>& urls);
    void start();
    void stop();
    // Downloads everything queued now, on this thread (tests, `kiosk fetch`).
    void drain();

private:
    bool takeOne(std::string& url);
    std::vector<std::string> privateHosts();
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
    std::vector<std::string> privateHosts_;  // guarded by mutex_
    int threadCount_;
    std::vector<std::thread> threads_;
};

} // namespace kiosk
