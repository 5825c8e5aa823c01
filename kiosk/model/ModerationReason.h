// Why moderation decided what it did, as data: a kind and its subject (the handle, domain, word,
// language, count or post id). Code compares kinds and subjects (unblocking finds the posts
// a block hid); people read describe(), the one place the words live. The database and the
// control page's API carry the kind's stable name beside the subject.
#pragma once

#include <string>
#include <string_view>

namespace kiosk {

enum class ReasonKind {
    None, // shown by the filters: nothing to say
    Approved,
    HiddenByOrganiser,
    Waiting, // pre-moderation
    BlockedAuthor,
    BlockedServer,
    BlockedLink,
    BlockedWord,
    Reply,
    Repost,
    Sensitive,
    Bot,
    Language,
    SpamHashtags, // subject: how many hashtags came with a link
    SpamNoWords,
    CrossPost,  // subject: the id already shown
    SameText,   // subject: how many accounts posted it
    AuthorRate, // subject: "<limit> <handle>"
    PanicAnnouncements,
    PanicTrusted,
    OptedOut,     // subject: the handle whose profile says #nowall or #nobot
    RemovalAsked, // someone at the venue asked for it to come off the wall
    Described,    // stored before reasons had kinds: the subject is the old text
};

struct Reason {
    ReasonKind kind = ReasonKind::None;
    std::string subject;

    bool operator==(const Reason&) const = default;
    bool empty() const { return kind == ReasonKind::None; }
};

// For people: "author blocked by organiser: @troll@bad.example".
std::string describe(const Reason& reason);
// Stable names for the database and the API: "blocked_author".
const char* reasonKindName(ReasonKind kind);
// The kind of a stored name; Described for names this build does not know.
ReasonKind reasonKindNamed(std::string_view name);

} // namespace kiosk
