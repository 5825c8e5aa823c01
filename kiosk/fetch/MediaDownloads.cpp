// See MediaDownloads.h.
#include "kiosk/fetch/MediaDownloads.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"

#include <algorithm>

namespace kiosk {
namespace {

constexpr UnixTime kRetryFailedAfter = 3600; // a 404, not a picture, too big
constexpr UnixTime kRetryOutageAfter = 60;   // no answer, or the server's 5xx

} // namespace

Result<std::string> downloadMedia(MediaCache& cache, HttpClient& http, const std::string& url,
                                  const std::vector<std::string>& privateHosts, bool* outage) {
    // Content URLs come from posts: the web only, never file: or anything else.
    if (!isWebUrl(url)) {
        return Error{url + ": not an http(s) URL; media from posts are only fetched from the web"};
    }
    if (auto hit = cache.find(url)) {
        return *hit;
    }
    HttpRequest request;
    request.url = url;
    request.maxBytes = cache.limits().maxFileBytes;
    request.publicAddressesOnly = true; // a post's URL must not reach into the venue's LAN
    request.privateHostsAllowed = privateHosts;
    request.headers.emplace_back("Accept", "image/webp,image/png,image/jpeg");
    const HttpResponse response = http.send(request);
    if (!response.ok()) {
        if (outage) {
            *outage = response.status == 0 || response.status >= 500;
        }
        return Error{describeFailure(request, response)};
    }
    return cache.keep(url, response.body, response.header("content-type"));
}

void MediaWorker::allowPrivateHosts(std::vector<std::string> hosts) {
    std::lock_guard lock(mutex_);
    privateHosts_ = std::move(hosts);
}

std::vector<std::string> MediaWorker::privateHosts() {
    std::lock_guard lock(mutex_);
    return privateHosts_;
}

MediaWorker::MediaWorker(MediaCache& cache, ClientFactory clients, Clock clock,
                         std::function<void(const std::string&)> onReady, int threads)
    : cache_(cache), clients_(std::move(clients)), clock_(std::move(clock)),
      onReady_(std::move(onReady)), threadCount_(std::max(1, threads)) {}

MediaWorker::~MediaWorker() {
    stop();
}

void MediaWorker::enqueue(const std::vector<std::string>& urls) {
    {
        std::lock_guard lock(mutex_);
        const UnixTime now = clock_();
        for (const auto& url : urls) {
            if (url.empty() || queued_.count(url) || active_.count(url)) {
                continue;
            }
            if (auto it = failed_.find(url);
                it != failed_.end() && now - it->second < kRetryFailedAfter) {
                continue;
            }
            if (queue_.size() >= 1000) {
                break; // a flood of new posts: the rest come with the next poll
            }
            queue_.push_back(url);
            queued_.insert(url);
        }
    }
    wake_.notify_one();
}

void MediaWorker::prioritise(const std::vector<std::string>& urls) {
    {
        std::lock_guard lock(mutex_);
        const UnixTime now = clock_();
        for (auto it = urls.rbegin(); it != urls.rend(); ++it) {
            const std::string& url = *it;
            if (url.empty() || active_.count(url)) {
                continue;
            }
            if (auto failed = failed_.find(url);
                failed != failed_.end() && now - failed->second < kRetryFailedAfter) {
                continue;
            }
            if (queued_.count(url)) {
                queue_.erase(std::find(queue_.begin(), queue_.end(), url));
            }
            queue_.push_front(url);
            queued_.insert(url);
        }
    }
    wake_.notify_all();
}

bool MediaWorker::takeOne(std::string& url) {
    std::lock_guard lock(mutex_);
    if (queue_.empty()) {
        return false;
    }
    url = queue_.front();
    queue_.pop_front();
    queued_.erase(url);
    active_.insert(url); // two threads never write the same file
    return true;
}

void MediaWorker::process(HttpClient& http, const std::string& url) {
    const bool cached = cache_.find(url).has_value();
    bool outage = false;
    auto result = cached ? Result<std::string>(std::string())
                         : downloadMedia(cache_, http, url, privateHosts(), &outage);
    {
        std::lock_guard lock(mutex_);
        active_.erase(url);
        if (!result) {
            // Remembered as if it failed long ago when it was only an outage: asked again in
            // a minute instead of an hour.
            failed_[url] = outage ? clock_() - kRetryFailedAfter + kRetryOutageAfter : clock_();
        }
    }
    if (!result) {
        logWarn("media", result.error());
    } else if (!cached && onReady_) {
        onReady_(url);
    }
}

void MediaWorker::drain() {
    auto http = clients_();
    std::string url;
    while (takeOne(url)) {
        process(*http, url);
    }
}

void MediaWorker::start() {
    for (int i = 0; i < threadCount_; ++i) {
        threads_.emplace_back([this] {
            auto http = clients_();
            for (;;) {
                std::string url;
                {
                    std::unique_lock lock(mutex_);
                    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                    if (stopping_) {
                        return;
                    }
                }
                if (takeOne(url)) {
                    process(*http, url);
                }
            }
        });
    }
}

void MediaWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        if (thread.joinable()) {
            thread.join();
        }
    }
    threads_.clear();
}

} // namespace kiosk
