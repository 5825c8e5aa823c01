// Polls one RSS, Atom or JSON Feed URL (blog posts or a WordPress comment feed) with
// conditional GET: the ETag and Last-Modified of the last answer go back with the next request,
// so an unchanged feed costs the server a 304 and us nothing.
#pragma once

#include "kiosk/base/ConfigReader.h"
#include "kiosk/sources/Source.h"

#include <memory>

namespace kiosk {

struct SourceContext;
std::unique_ptr<Source> makeRssSource(ObjectReader& reader, const SourceContext& context);
std::unique_ptr<Source> makeAtomSource(ObjectReader& reader, const SourceContext& context);
std::unique_ptr<Source> makeJsonFeedSource(ObjectReader& reader, const SourceContext& context);

class FeedSource final : public Source {
public:
    FeedSource(std::string kind, ParseFn parse, std::string url, std::chrono::seconds interval);

    std::string label() const override { return kind_ + " " + url_; }
    std::chrono::seconds pollInterval() const override { return interval_; }
    PollOutput poll(HttpClient& http, const PollSettings& settings) override;
    std::vector<std::string> hosts() const override { return {host_}; }
    std::string saveState() const override;
    void loadState(const std::string& state) override;

private:
    std::string kind_;
    ParseFn parse_;
    std::string url_;
    std::string host_;
    std::chrono::seconds interval_;
    std::string etag_;
    std::string lastModified_;
};

} // namespace kiosk
