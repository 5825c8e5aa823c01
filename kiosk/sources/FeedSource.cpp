// See FeedSource.h.
#include "kiosk/sources/FeedSource.h"

#include "kiosk/base/Url.h"
#include "kiosk/sources/Feeds.h"
#include "kiosk/sources/SourceRegistry.h"

namespace kiosk {

FeedSource::FeedSource(std::string kind, ParseFn parse, std::string url,
                       std::chrono::seconds interval)
    : kind_(std::move(kind)), parse_(parse), url_(std::move(url)), host_(hostOf(url_)),
      interval_(interval) {}

std::string FeedSource::saveState() const {
    if (etag_.empty() && lastModified_.empty()) {
        return {};
    }
    return etag_ + "\n" + lastModified_;
}

void FeedSource::loadState(const std::string& state) {
    const auto nl = state.find('\n');
    etag_ = state.substr(0, nl);
    lastModified_ = nl == std::string::npos ? "" : state.substr(nl + 1);
}

PollOutput FeedSource::poll(HttpClient& http, const PollSettings& settings) {
    PollOutput out;
    HttpRequest request = settings.request(url_);
    if (!etag_.empty()) {
        request.headers.emplace_back("If-None-Match", etag_);
    }
    if (!lastModified_.empty()) {
        request.headers.emplace_back("If-Modified-Since", lastModified_);
    }
    out.requests = 1;
    Fetched fetched = fetchAndParse(http, request, parse_, {host_, settings.now}, kind_);
    if (!fetched.ok()) {
        out.error = fetched.error;
        return out;
    }
    if (fetched.notModified()) {
        return out;
    }
    etag_ = fetched.response.header("etag");
    lastModified_ = fetched.response.header("last-modified");
    out.skippedRecords = int(fetched.out.skipped.size());
    out.posts = std::move(fetched.out.posts);
    return out;
}

namespace {

std::unique_ptr<Source> makeFeed(ObjectReader& r, const SourceContext& context, const char* kind,
                                 ParseFn parse) {
    std::string url = r.string("url", "", true);
    if (!url.empty() && !isWebUrl(url) && url.rfind("file:", 0) != 0) {
        r.error("url", "expected the feed's https:// address");
    }
    url = resolveFileUrl(url, context.configDir);
    const auto interval = std::chrono::seconds(r.integer("poll_seconds", 300, 30, 86400));
    return std::make_unique<FeedSource>(kind, parse, url, interval);
}

} // namespace

std::unique_ptr<Source> makeRssSource(ObjectReader& r, const SourceContext& c) {
    return makeFeed(r, c, "rss", parseRss);
}
std::unique_ptr<Source> makeAtomSource(ObjectReader& r, const SourceContext& c) {
    return makeFeed(r, c, "atom", parseAtom);
}
std::unique_ptr<Source> makeJsonFeedSource(ObjectReader& r, const SourceContext& c) {
    return makeFeed(r, c, "jsonfeed", parseJsonFeed);
}

} // namespace kiosk
