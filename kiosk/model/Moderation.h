// What may reach the wall. Every post gets a verdict with a typed reason (ModerationReason.h)
// that reads as "blocked word: …" or "author blocked by organiser": filters decide in automatic
// mode, nothing shows before approval in pre-moderation (trusted authors and domains
// excepted), and panic shows only announcements, or only trusted authors. The organiser's own
// decisions about a post (approve, hide) come first. Pure logic, time is a parameter; thread-safe.
#pragma once

#include "kiosk/model/ModerationReason.h"
#include "kiosk/model/Post.h"

#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace kiosk {

enum class ModerationMode { Automatic, Pre, Post };
enum class Panic { Off, AnnouncementsOnly, TrustedOnly };

struct ModerationRules {
    ModerationMode mode = ModerationMode::Automatic;
    Panic panic = Panic::Off;
    std::vector<std::string> blockedWords;   // words and phrases, any case or accents
    std::vector<std::string> blockedAuthors; // handles: "@troll@bad.example", "troll@bad.example"
    std::vector<std::string> blockedDomains; // author servers and linked sites
    std::vector<std::string> trustedAuthors;
    std::vector<std::string> trustedDomains;
    bool hideReplies = false;
    bool hideReposts = false;
    bool hideSensitive = false;
    bool hideBots = false;
    // Posts from the attendee page (source "venue") wait for the organiser in every mode.
    bool venueApproveFirst = true;
    std::vector<std::string> languages; // allowed; empty allows all (posts without one pass)
    int maxHashtagsWithLink = 6;        // a link with more hashtags than this is spam
    int maxPostsPerAuthorPerHour = 10;
    int sameTextAccounts = 3; // the same text from this many accounts is a campaign
};

enum class Verdict { Show, Queue, Hide };

struct Decision {
    Verdict verdict = Verdict::Show;
    Reason reason; // empty when shown by the filters
};

const char* verdictName(Verdict verdict);

class Moderator {
public:
    explicit Moderator(ModerationRules rules = {});

    // Decides about a post seen at now; shown posts count toward rate caps and duplicate checks.
    Decision decide(const Post& post, UnixTime now);
    // decide() without panic: what the post deserves on its own. The fetch path keeps this, so
    // posts that arrive while the wall is blanked show once panic is switched off.
    Decision judge(const Post& post, UnixTime now);
    // Whether the organiser's newer rules (blocked authors, servers, words) now hide a post that
    // was shown; the reason when they do. Rate caps and duplicates are not counted again.
    std::optional<Reason> newlyBlocked(const Post& post) const;
    void setRules(ModerationRules rules);
    // Whether a post already on the wall may stay on it now: panic and the organiser's hides
    // apply at once to everything, not only to what arrives next. Announcements always may.
    bool mayShowNow(const Post& post) const;
    ModerationRules rules() const;
    // The organiser's word on one post outlasts every filter (but not panic).
    void approve(const std::string& postId);
    // After the event: the organiser's decisions and what the filters remember are gone.
    void forgetDecisions();
    void hide(const std::string& postId);
    // Off the wall until the organiser decides: someone asked for its removal.
    void hold(const std::string& postId);

private:
    Decision judgeLocked(const Post& post, UnixTime now);
    Decision filter(const Post& post, UnixTime now) const;
    std::optional<Reason> blockedReason(const Post& post) const;
    bool trusted(const Post& post) const;
    void remember(const Post& post, UnixTime now);

    mutable std::mutex mutex_;
    ModerationRules rules_;                                // guarded by mutex_
    std::vector<std::string> foldedWords_;                 // guarded by mutex_
    std::map<std::string, Verdict> organiser_;             // guarded by mutex_; post id -> verdict
    std::map<std::string, std::deque<UnixTime>> byAuthor_; // guarded by mutex_
    struct SeenText {
        std::set<std::string> accounts; // handles (or names where a network has none)
        std::set<std::string> names;    // folded display names, to spot cross-posts
        std::string firstId;
        UnixTime last = 0;
    };
    std::map<std::string, SeenText> byText_; // guarded by mutex_; folded text -> who posted it
    // A post polled again (same id, same words) keeps its verdict and is not counted twice;
    // new rules clear it.
    std::map<std::string, Decision> decided_; // guarded by mutex_
};

// "troll@bad.example" from "@troll@bad.example", lower case; the form rules compare.
std::string normalHandle(const std::string& handle);
// True when host is domain or one of its subdomains.
bool hostInDomain(const std::string& host, const std::string& domain);

} // namespace kiosk
