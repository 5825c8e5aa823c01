// The words for every moderation reason, and their stable names.
#include "kiosk/model/ModerationReason.h"

namespace kiosk {
namespace {

struct KindRow {
    ReasonKind kind;
    const char* name;
    const char* words; // followed by ": subject" when there is one, unless handled below
};

const KindRow kKinds[] = {
    {ReasonKind::None, "", ""},
    {ReasonKind::Approved, "approved", "approved by organiser"},
    {ReasonKind::HiddenByOrganiser, "hidden", "hidden by organiser"},
    {ReasonKind::Waiting, "waiting", "waiting for approval"},
    {ReasonKind::BlockedAuthor, "blocked_author", "author blocked by organiser"},
    {ReasonKind::BlockedServer, "blocked_server", "author's server blocked by organiser"},
    {ReasonKind::BlockedLink, "blocked_link", "links to a blocked site"},
    {ReasonKind::BlockedWord, "blocked_word", "blocked word"},
    {ReasonKind::Reply, "reply", "replies are not shown"},
    {ReasonKind::Repost, "repost", "reposts are not shown"},
    {ReasonKind::Sensitive, "sensitive", "sensitive posts are not shown"},
    {ReasonKind::Bot, "bot", "bot accounts are not shown"},
    {ReasonKind::Language, "language", "language not on the list"},
    {ReasonKind::SpamHashtags, "spam_hashtags", "spam: a link with many hashtags"},
    {ReasonKind::SpamNoWords, "spam_no_words", "spam: nothing but hashtags, mentions and links"},
    {ReasonKind::CrossPost, "cross_post", "already shown from another network"},
    {ReasonKind::SameText, "same_text", "spam: the same text from several accounts"},
    {ReasonKind::AuthorRate, "author_rate", "too many posts an hour from one author"},
    {ReasonKind::PanicAnnouncements, "panic_announcements", "panic: only announcements are shown"},
    {ReasonKind::PanicTrusted, "panic_trusted", "panic: only trusted authors are shown"},
    {ReasonKind::OptedOut, "opted_out", "the author asks not to be on walls (#nowall)"},
    {ReasonKind::RemovalAsked, "removal_asked",
     "someone at the venue asked to take it off the wall"},
    {ReasonKind::Described, "described", ""},
};

const KindRow& rowOf(ReasonKind kind) {
    for (const auto& row : kKinds) {
        if (row.kind == kind) {
            return row;
        }
    }
    return kKinds[0];
}

} // namespace

std::string describe(const Reason& r) {
    const std::string& s = r.subject;
    switch (r.kind) {
    case ReasonKind::Described:
        return s;
    case ReasonKind::BlockedAuthor:
        return "author blocked by organiser: @" + s;
    case ReasonKind::SpamHashtags:
        return "spam: a link with " + s + " hashtags";
    case ReasonKind::SameText:
        return "spam: the same text from " + s + " accounts";
    case ReasonKind::AuthorRate: {
        const auto space = s.find(' ');
        if (space == std::string::npos) {
            break;
        }
        return "more than " + s.substr(0, space) + " posts an hour from @" + s.substr(space + 1);
    }
    default:
        break;
    }
    const std::string words = rowOf(r.kind).words;
    return s.empty() ? words : words + ": " + s;
}

const char* reasonKindName(ReasonKind kind) {
    return rowOf(kind).name;
}

ReasonKind reasonKindNamed(std::string_view name) {
    for (const auto& row : kKinds) {
        if (name == row.name) {
            return row.kind;
        }
    }
    return ReasonKind::Described;
}

} // namespace kiosk
