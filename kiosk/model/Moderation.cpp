// See Moderation.h. Checks run from the organiser's explicit word, through hard blocks, to
// heuristics; the first that objects gives the reason.
#include "kiosk/model/Moderation.h"

#include "kiosk/base/Url.h"
#include "kiosk/text/TextFold.h"

#include <algorithm>
#include <cctype>

namespace kiosk {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string authorServer(const Post& post) {
    const std::string handle = normalHandle(post.author.handle);
    if (auto at = handle.find('@'); at != std::string::npos) {
        return handle.substr(at + 1);
    }
    if (!handle.empty() && handle.find('.') != std::string::npos) {
        return handle; // Bluesky handles are domains
    }
    return lower(hostOf(post.author.url));
}

// What is left of a post once hashtags, mentions and links are taken out.
std::string withoutTagsAndLinks(const std::string& text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const bool tag = text[i] == '#' || text[i] == '@';
        const bool link = text.compare(i, 4, "http") == 0 || text.compare(i, 4, "www.") == 0;
        if (tag || link) {
            while (i < text.size() && text[i] != ' ' && text[i] != '\n') {
                ++i;
            }
            continue;
        }
        out += text[i++];
    }
    return out;
}

bool hasLetters(const std::string& text) {
    for (unsigned char c : text) {
        if (std::isalnum(c) || c >= 0x80) {
            return true; // any non-ASCII byte: letters of another script, or emoji
        }
    }
    return false;
}

} // namespace

const char* verdictName(Verdict v) {
    switch (v) {
    case Verdict::Show:
        return "shown";
    case Verdict::Queue:
        return "queued";
    case Verdict::Hide:
        return "hidden";
    }
    return "?";
}

std::string normalHandle(const std::string& handle) {
    std::string h = lower(handle);
    if (!h.empty() && h.front() == '@') {
        h.erase(0, 1);
    }
    return h;
}

bool hostInDomain(const std::string& host, const std::string& domain) {
    const std::string h = lower(host), d = lower(domain);
    if (h.empty() || d.empty()) {
        return false;
    }
    return h == d || (h.size() > d.size() && h.compare(h.size() - d.size(), d.size(), d) == 0 &&
                      h[h.size() - d.size() - 1] == '.');
}

Moderator::Moderator(ModerationRules rules) {
    setRules(std::move(rules));
}

void Moderator::setRules(ModerationRules rules) {
    std::vector<std::string> folded;
    for (const auto& w : rules.blockedWords) {
        if (auto f = foldText(w); !f.empty()) {
            folded.push_back(std::move(f));
        }
    }
    std::lock_guard lock(mutex_);
    rules_ = std::move(rules);
    foldedWords_ = std::move(folded);
    decided_.clear();
}

ModerationRules Moderator::rules() const {
    std::lock_guard lock(mutex_);
    return rules_;
}

void Moderator::approve(const std::string& postId) {
    std::lock_guard lock(mutex_);
    organiser_[postId] = Verdict::Show;
    decided_.clear();
}

void Moderator::forgetDecisions() {
    std::lock_guard lock(mutex_);
    organiser_.clear();
    decided_.clear();
    byAuthor_.clear();
    byText_.clear();
}

void Moderator::hide(const std::string& postId) {
    std::lock_guard lock(mutex_);
    organiser_[postId] = Verdict::Hide;
    decided_.clear();
}

void Moderator::hold(const std::string& postId) {
    std::lock_guard lock(mutex_);
    organiser_[postId] = Verdict::Queue;
    decided_.clear();
}

bool Moderator::trusted(const Post& post) const {
    const std::string handle = normalHandle(post.author.handle);
    for (const auto& a : rules_.trustedAuthors) {
        if (!handle.empty() && normalHandle(a) == handle) {
            return true;
        }
    }
    const std::string server = authorServer(post);
    return std::any_of(rules_.trustedDomains.begin(), rules_.trustedDomains.end(),
                       [&](const std::string& d) { return hostInDomain(server, d); });
}

std::optional<Reason> Moderator::blockedReason(const Post& post) const {
    const std::string handle = normalHandle(post.author.handle);
    for (const auto& a : rules_.blockedAuthors) {
        if (!handle.empty() && normalHandle(a) == handle) {
            return Reason{ReasonKind::BlockedAuthor, handle};
        }
    }
    const std::string server = authorServer(post);
    for (const auto& d : rules_.blockedDomains) {
        if (hostInDomain(server, d)) {
            return Reason{ReasonKind::BlockedServer, d};
        }
        for (const auto& link : post.links) {
            if (hostInDomain(hostOf(link), d)) {
                return Reason{ReasonKind::BlockedLink, d};
            }
        }
    }
    const std::string folded = foldText(post.author.name + "\n" + post.spoiler + "\n" + post.text);
    for (std::size_t i = 0; i < foldedWords_.size(); ++i) {
        if (containsWord(folded, foldedWords_[i])) {
            return Reason{ReasonKind::BlockedWord, rules_.blockedWords[i]};
        }
    }
    return std::nullopt;
}

std::optional<Reason> Moderator::newlyBlocked(const Post& post) const {
    if (post.source == "announcement") {
        return std::nullopt;
    }
    std::lock_guard lock(mutex_);
    if (auto it = organiser_.find(post.id); it != organiser_.end() && it->second == Verdict::Show) {
        return std::nullopt; // the organiser approved this very post
    }
    return blockedReason(post);
}

Decision Moderator::filter(const Post& post, UnixTime now) const {
    if (auto reason = blockedReason(post)) {
        return {Verdict::Hide, *reason};
    }
    const std::string handle = normalHandle(post.author.handle);
    if (rules_.hideReplies && post.isReply) {
        return {Verdict::Hide, {ReasonKind::Reply, ""}};
    }
    if (rules_.hideReposts && post.isRepost) {
        return {Verdict::Hide, {ReasonKind::Repost, ""}};
    }
    if (rules_.hideSensitive && (post.sensitive || !post.spoiler.empty())) {
        return {Verdict::Hide, {ReasonKind::Sensitive, ""}};
    }
    if (rules_.hideBots && post.author.bot) {
        return {Verdict::Hide, {ReasonKind::Bot, ""}};
    }
    if (!rules_.languages.empty() && !post.lang.empty()) {
        const std::string lang = lower(post.lang.substr(0, post.lang.find_first_of("-_")));
        const bool allowed = std::any_of(rules_.languages.begin(), rules_.languages.end(),
                                         [&](const std::string& l) { return lower(l) == lang; });
        if (!allowed) {
            return {Verdict::Hide, {ReasonKind::Language, post.lang}};
        }
    }
    if (!post.links.empty() && int(post.hashtags.size()) > rules_.maxHashtagsWithLink) {
        return {Verdict::Hide, {ReasonKind::SpamHashtags, std::to_string(post.hashtags.size())}};
    }
    if (!post.text.empty() && post.media.empty() && !hasLetters(withoutTagsAndLinks(post.text))) {
        return {Verdict::Hide, {ReasonKind::SpamNoWords, ""}};
    }
    const std::string key = foldText(withoutTagsAndLinks(post.text));
    if (auto it = byText_.find(key);
        key.size() > 12 && it != byText_.end() && now - it->second.last < 3600) {
        const SeenText& seen = it->second;
        // The same person posting the same words on two networks: show it once.
        if (seen.names.count(foldText(post.author.name)) && seen.firstId != post.id) {
            return {Verdict::Hide, {ReasonKind::CrossPost, seen.firstId}};
        }
        const bool otherAccount = !seen.accounts.count(handle.empty() ? post.author.name : handle);
        if (otherAccount && int(seen.accounts.size()) + 1 >= rules_.sameTextAccounts) {
            return {Verdict::Hide,
                    {ReasonKind::SameText, std::to_string(seen.accounts.size() + 1)}};
        }
    }
    if (auto it = byAuthor_.find(handle); !handle.empty() && it != byAuthor_.end()) {
        const auto recent = std::count_if(it->second.begin(), it->second.end(),
                                          [now](UnixTime t) { return now - t < 3600; });
        if (recent >= rules_.maxPostsPerAuthorPerHour) {
            return {Verdict::Hide,
                    {ReasonKind::AuthorRate,
                     std::to_string(rules_.maxPostsPerAuthorPerHour) + " " + handle}};
        }
    }
    return {};
}

void Moderator::remember(const Post& post, UnixTime now) {
    const std::string handle = normalHandle(post.author.handle);
    if (!handle.empty()) {
        auto& times = byAuthor_[handle];
        times.push_back(now);
        while (times.size() > 200 || (!times.empty() && now - times.front() > 3600)) {
            times.pop_front();
        }
    }
    const std::string key = foldText(withoutTagsAndLinks(post.text));
    if (key.size() > 12) {
        SeenText& seen = byText_[key];
        if (seen.firstId.empty()) {
            seen.firstId = post.id;
        }
        seen.accounts.insert(handle.empty() ? post.author.name : handle);
        seen.names.insert(foldText(post.author.name));
        seen.last = now;
    }
    if (byText_.size() > 5000) {
        for (auto it = byText_.begin(); it != byText_.end();) {
            it = now - it->second.last > 3600 ? byText_.erase(it) : std::next(it);
        }
    }
}

bool Moderator::mayShowNow(const Post& post) const {
    if (post.source == "announcement") {
        return true;
    }
    if (post.author.noWall) {
        return false;
    }
    std::lock_guard lock(mutex_);
    if (rules_.panic == Panic::AnnouncementsOnly ||
        (rules_.panic == Panic::TrustedOnly && !trusted(post))) {
        return false;
    }
    auto it = organiser_.find(post.id);
    return it == organiser_.end() || it->second == Verdict::Show;
}

Decision Moderator::decide(const Post& post, UnixTime now) {
    std::lock_guard lock(mutex_);
    if (rules_.panic == Panic::AnnouncementsOnly) {
        return {Verdict::Hide, {ReasonKind::PanicAnnouncements, ""}};
    }
    if (rules_.panic == Panic::TrustedOnly && !trusted(post)) {
        return {Verdict::Hide, {ReasonKind::PanicTrusted, ""}};
    }
    return judgeLocked(post, now);
}

Decision Moderator::judge(const Post& post, UnixTime now) {
    std::lock_guard lock(mutex_);
    return judgeLocked(post, now);
}

Decision Moderator::judgeLocked(const Post& post, UnixTime now) {
    if (post.author.noWall) {
        // Consent comes before everything, the organiser's approval included.
        return {Verdict::Hide, {ReasonKind::OptedOut, normalHandle(post.author.handle)}};
    }
    if (auto it = organiser_.find(post.id); it != organiser_.end()) {
        const ReasonKind kind = it->second == Verdict::Show    ? ReasonKind::Approved
                                : it->second == Verdict::Queue ? ReasonKind::RemovalAsked
                                                               : ReasonKind::HiddenByOrganiser;
        return {it->second, {kind, ""}};
    }
    const std::string seenKey =
        post.id + "|" + contentId(post.author.name + "\n" + post.spoiler + "\n" + post.text);
    if (auto it = decided_.find(seenKey); it != decided_.end()) {
        return it->second;
    }
    Decision d = filter(post, now);
    const bool venueWaits = post.source == "venue" && rules_.venueApproveFirst;
    if (d.verdict == Verdict::Show &&
        ((rules_.mode == ModerationMode::Pre && !trusted(post)) || venueWaits)) {
        d = {Verdict::Queue, {ReasonKind::Waiting, ""}};
    }
    if (d.verdict == Verdict::Show) {
        remember(post, now);
    }
    if (decided_.size() > 20000) {
        decided_.clear(); // a day of posts; older ones are long gone from the wall
    }
    decided_[seenKey] = d;
    return d;
}

} // namespace kiosk
