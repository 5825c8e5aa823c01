// See MediaCache.h.
#include "kiosk/media/MediaCache.h"

#include "kiosk/base/ImageHeader.h"
#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"
#include "kiosk/model/Post.h"

#include <algorithm>
#include <fstream>

namespace kiosk {

namespace fs = std::filesystem;

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

Result<std::string> MediaCache::keep(const std::string& url, std::string_view bytes,
                                     const std::string& contentType) {
    const std::string& type = contentType;
    if (!type.empty() && type.rfind("image/", 0) != 0 &&
        type.rfind("application/octet-stream", 0) != 0) {
        return Error{url + ": not an image (content type " + type + ")"};
    }
    const auto info = readImageHeader(bytes);
    if (!info) {
        return Error{url + ": not a JPEG, PNG or WebP image (" + std::to_string(bytes.size()) +
                     " bytes)"};
    }
    if (auto problem = checkImageLimits(*info, limits_.maxSide, limits_.maxPixels);
        !problem.empty()) {
        return Error{url + ": " + problem};
    }
    if (info->format == "gif") {
        // Debian 12's SDL_image crashes on hostile GIFs (see ImageLoader.h): never kept.
        return Error{url + ": a GIF; the wall shows JPEG, PNG and WebP pictures only"};
    }
    if (auto problem = checkImageBytes(*info, bytes); !problem.empty()) {
        return Error{url + ": " + problem};
    }
    const std::string stem = contentId(url);
    const fs::path path = dir_ / (stem + "." + info->format);
    const fs::path tmp = dir_ / (stem + ".tmp");
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), std::streamsize(bytes.size()));
        if (!out) {
            return Error{tmp.string() + ": cannot write to the media cache"};
        }
    }
    std::lock_guard lock(mutex_);
    evictLocked(bytes.size());
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        return Error{path.string() + ": " + ec.message()};
    }
    auto& entry = entries_[stem];
    total_ -= entry.bytes; // replacing an earlier copy
    entry = {path, bytes.size(), ++useCounter_};
    total_ += entry.bytes;
    if (index_) {
        index_->saveMedia({stem, path.string(), entry.bytes, clock_()});
    }
    return path.string();
}

} // namespace kiosk
