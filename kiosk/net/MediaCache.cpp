// See MediaCache.h.
#include "kiosk/net/MediaCache.h"

#include "kiosk/base/ImageHeader.h"
#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"
#include "kiosk/model/Post.h"

#include <algorithm>
#include <fstream>

namespace kiosk {

namespace fs = std::filesystem;

namespace {

constexpr UnixTime kRetryFailedAfter = 3600; // a 404, not a picture, too big
constexpr UnixTime kRetryOutageAfter = 60;   // no answer, or the server's 5xx

} // namespace

MediaCache::MediaCache(fs::path dir, MediaLimits limits) : dir_(std::move(dir)), limits_(limits) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) {
        logWarn("media", dir_.string() + ": cannot create the media cache: " + ec.message());
        return;
    }
    // Files from earlier runs, oldest first by modification time (uses touch it).
    std::vector<std::pair<fs::file_time_type, fs::directory_entry>> files;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (entry.is_regular_file() && entry.path().extension() != ".tmp") {
            files.emplace_back(entry.last_write_time(), entry);
        }
    }
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [time, entry] : files) {
        const auto bytes = entry.file_size();
        entries_[entry.path().stem().string()] = {entry.path(), bytes, ++useCounter_};
        total_ += bytes;
    }
    evictLocked(0);
}

void MediaCache::attachIndex(Database& db, std::function<UnixTime()> clock) {
    std::lock_guard lock(mutex_);
    index_ = &db;
    clock_ = std::move(clock);
    // The index knows the order of use; the folder knows what is really there.
    std::set<std::string> indexed;
    for (const auto& e : db.loadMedia()) {
        auto it = entries_.find(e.key);
        if (it == entries_.end()) {
            db.deleteMedia(e.key); // its file is gone
            continue;
        }
        it->second.lastUse = ++useCounter_; // least recently used first, as loaded
        indexed.insert(e.key);
    }
    const UnixTime now = clock_();
    for (auto& [key, entry] : entries_) {
        if (!indexed.count(key)) {
            db.saveMedia({key, entry.path.string(), entry.bytes, now}); // a file the index missed
        }
    }
}

void MediaCache::allowPrivateHosts(std::vector<std::string> hosts) {
    std::lock_guard lock(mutex_);
    privateHosts_ = std::move(hosts);
}

fs::path MediaCache::photoPath(const std::string& key) const {
    return dir_ / "venue" / (key + ".jpg");
}

Result<std::string> MediaCache::keepPhoto(std::string_view jpeg) {
    const std::string url = kPhotoScheme + contentId(std::string(jpeg));
    const fs::path path = photoPath(contentId(url));
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    const fs::path tmp = path.string() + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(jpeg.data(), std::streamsize(jpeg.size()));
        if (!out.flush()) {
            fs::remove(tmp, ec);
            return Error{path.string() + ": cannot keep the photo (disk full?)"};
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        return Error{path.string() + ": cannot keep the photo: " + ec.message()};
    }
    return url;
}

std::optional<std::string> MediaCache::find(const std::string& url) {
    if (url.rfind(kPhotoScheme, 0) == 0) {
        return peek(url);
    }
    std::lock_guard lock(mutex_);
    auto it = entries_.find(contentId(url));
    if (it == entries_.end()) {
        return std::nullopt;
    }
    it->second.lastUse = ++useCounter_;
    if (index_) {
        index_->saveMedia({it->first, it->second.path.string(), it->second.bytes, clock_()});
    }
    std::error_code ec;
    fs::last_write_time(it->second.path, fs::file_time_type::clock::now(), ec);
    return it->second.path.string();
}

std::optional<std::string> MediaCache::peek(const std::string& url) const {
    return fileForKey(contentId(url));
}

std::optional<std::string> MediaCache::fileForKey(const std::string& key) const {
    {
        std::lock_guard lock(mutex_);
        if (auto it = entries_.find(key); it != entries_.end()) {
            return it->second.path.string();
        }
    }
    // Keys are hashes (callers check that), so this names a file in the photo folder only.
    std::error_code ec;
    if (const fs::path photo = photoPath(key); fs::is_regular_file(photo, ec)) {
        return photo.string();
    }
    return std::nullopt;
}

std::size_t MediaCache::clear() {
    std::lock_guard lock(mutex_);
    const std::size_t n = entries_.size();
    for (const auto& [key, entry] : entries_) {
        std::error_code ec;
        fs::remove(entry.path, ec);
        if (index_) {
            index_->deleteMedia(key);
        }
    }
    entries_.clear();
    total_ = 0;
    std::error_code ec;
    const auto photos = fs::remove_all(dir_ / "venue", ec);
    return n + std::size_t(photos > 0 ? photos - 1 : 0); // the folder itself is not a file
}

std::uint64_t MediaCache::totalBytes() const {
    std::lock_guard lock(mutex_);
    return total_;
}

std::size_t MediaCache::count() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

void MediaCache::evictLocked(std::uint64_t incoming) {
    while (!entries_.empty() && total_ + incoming > limits_.maxCacheBytes) {
        auto oldest =
            std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
                return a.second.lastUse < b.second.lastUse;
            });
        std::error_code ec;
        fs::remove(oldest->second.path, ec);
        total_ -= oldest->second.bytes;
        if (index_) {
            index_->deleteMedia(oldest->first);
        }
        entries_.erase(oldest);
    }
}

Result<std::string> MediaCache::download(HttpClient& http, const std::string& url, bool* outage) {
    // Content URLs come from posts: the web only, never file: or anything else.
    if (!isWebUrl(url)) {
        return Error{url + ": not an http(s) URL; media from posts are only fetched from the web"};
    }
    if (auto hit = find(url)) {
        return *hit;
    }
    HttpRequest request;
    request.url = url;
    request.maxBytes = limits_.maxFileBytes;
    request.publicAddressesOnly = true; // a post's URL must not reach into the venue's LAN
    {
        std::lock_guard lock(mutex_);
        request.privateHostsAllowed = privateHosts_;
    }
    request.headers.emplace_back("Accept", "image/webp,image/png,image/jpeg");
    const HttpResponse response = http.send(request);
    if (!response.ok()) {
        if (outage) {
            *outage = response.status == 0 || response.status >= 500;
        }
        return Error{describeFailure(request, response)};
    }
    const std::string type = response.header("content-type");
    if (!type.empty() && type.rfind("image/", 0) != 0 &&
        type.rfind("application/octet-stream", 0) != 0) {
        return Error{url + ": not an image (content type " + type + ")"};
    }
    const auto info = readImageHeader(response.body);
    if (!info) {
        return Error{url + ": not a JPEG, PNG or WebP image (" +
                     std::to_string(response.body.size()) + " bytes)"};
    }
    if (auto problem = checkImageLimits(*info, limits_.maxSide, limits_.maxPixels);
        !problem.empty()) {
        return Error{url + ": " + problem};
    }
    if (info->format == "gif") {
        // Debian 12's SDL_image crashes on hostile GIFs (see ImageLoader.h): never kept.
        return Error{url + ": a GIF; the wall shows JPEG, PNG and WebP pictures only"};
    }
    if (auto problem = checkImageBytes(*info, response.body); !problem.empty()) {
        return Error{url + ": " + problem};
    }
    const std::string stem = contentId(url);
    const fs::path path = dir_ / (stem + "." + info->format);
    const fs::path tmp = dir_ / (stem + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(response.body.data(), std::streamsize(response.body.size()));
        if (!out) {
            return Error{tmp.string() + ": cannot write to the media cache"};
        }
    }
    std::lock_guard lock(mutex_);
    evictLocked(response.body.size());
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        return Error{path.string() + ": " + ec.message()};
    }
    auto& entry = entries_[stem];
    total_ -= entry.bytes; // replacing an earlier copy
    entry = {path, response.body.size(), ++useCounter_};
    total_ += entry.bytes;
    if (index_) {
        index_->saveMedia({stem, path.string(), entry.bytes, clock_()});
    }
    return path.string();
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
    auto result = cached ? Result<std::string>(std::string()) : cache_.download(http, url, &outage);
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
