// The Mastodon source's periodic check that min_id still points into the server's timeline,
// so that a source whose polls succeed but can never return a post is found and mended
// instead of reporting "ok" over an empty stream.
#include "kiosk/base/Log.h"
#include "kiosk/base/Time.h"
#include "kiosk/sources/Mastodon.h"

#include <algorithm>

namespace kiosk {

void MastodonSource::delivered(const std::string& hashtag, const std::vector<Post>& posts) {
    for (const auto& post : posts) {
        newestAt_[hashtag] = std::max(newestAt_[hashtag], post.createdAt);
    }
}

void MastodonSource::checkCursors(HttpClient& http, const PollSettings& settings, PollOutput& out) {
    if (cursorsCheckedAt_ == 0) {
        cursorsCheckedAt_ = settings.now; // the first poll just read the newest page
    }
    if (settings.now <= 0 || settings.now - cursorsCheckedAt_ < kCursorCheckSeconds) {
        return;
    }
    cursorsCheckedAt_ = settings.now;
    std::string finding;
    for (const auto& tag : settings_.hashtags) {
        const auto cursor = newestId_.find(tag);
        if (cursor == newestId_.end()) {
            continue; // no cursor yet: the next poll reads the newest page anyway
        }
        Fetched fetched = fetchTimeline(http, settings, tag, false, out);
        if (!fetched.ok()) {
            logWarn("mastodon", "cursor check: " + fetched.error);
            return; // the poll's own error handling sees the next failure; keep the finding
        }
        // State from an older version has no date: what the server has below the cursor now
        // counts as seen, and the next check judges from there.
        if (!newestAt_.count(tag)) {
            for (const auto& post : fetched.out.posts) {
                const std::string native = post.id.substr(post.id.rfind(':') + 1);
                if (!numericIdNewer(native, cursor->second)) {
                    newestAt_[tag] = std::max(newestAt_[tag], post.createdAt);
                }
            }
            continue;
        }
        std::vector<Post> missed;
        std::string serverNewest;
        for (const auto& post : fetched.out.posts) {
            const std::string native = post.id.substr(post.id.rfind(':') + 1);
            if (serverNewest.empty() || numericIdNewer(native, serverNewest)) {
                serverNewest = native;
            }
            if (numericIdNewer(cursor->second, native) && post.createdAt > newestAt_[tag]) {
                missed.push_back(post);
            }
        }
        if (missed.empty()) {
            continue;
        }
        const std::string what = "stalled: #" + tag + " min_id " + cursor->second +
                                 " was past the server's newest post " + serverNewest +
                                 ", so polls found nothing while " + std::to_string(missed.size()) +
                                 " newer posts came; reading on from there since " +
                                 formatIsoTime(settings.now);
        logWarn("mastodon", requestUrl(tag, false) + ": " + what);
        finding += (finding.empty() ? "" : "; ") + what;
        cursor->second = serverNewest;
        delivered(tag, missed);
        for (auto& post : missed) {
            out.posts.push_back(std::move(post));
        }
    }
    stalled_ = finding;
}

} // namespace kiosk
