// WallControl's side of the attendee page: posts from the venue network and requests to take a
// post off the wall. Both run on the command queue like the organiser's commands.
#include "kiosk/admin/AdminAuth.h"
#include "kiosk/admin/WallControl.h"
#include "kiosk/base/Log.h"
#include "kiosk/base/Url.h"
#include "kiosk/base/Utf8.h"

namespace kiosk {
namespace {

using nlohmann::json;

// What VenueApi shows a stranger of a post on the wall: enough to recognise one's own.
json publicCard(const Post& p) {
    const std::string words = p.text.substr(0, utf8Boundary(p.text, 160));
    return json{{"id", p.id},
                {"source", p.source},
                {"name", p.author.name},
                {"handle", p.author.handle},
                {"text", words + (words.size() < p.text.size() ? "…" : "")}};
}

std::string withoutQueryOrSlash(std::string url) {
    url = url.substr(0, url.find_first_of("?#"));
    while (!url.empty() && url.back() == '/') {
        url.pop_back();
    }
    return url;
}

// Whether a link someone pasted names this post: its own URL, or (Mastodon shows a post under
// several addresses) a link on the post's server ending in the post's number.
bool linkNames(const std::string& link, const Post& post) {
    const std::string wanted = withoutQueryOrSlash(link);
    if (wanted.empty()) {
        return false;
    }
    if (wanted == withoutQueryOrSlash(post.url) || wanted == post.id) {
        return true;
    }
    const auto colon = post.id.rfind(':');
    const std::string native = colon == std::string::npos ? "" : post.id.substr(colon + 1);
    const auto slash = wanted.rfind('/');
    return !native.empty() && slash != std::string::npos && wanted.substr(slash + 1) == native &&
           !hostOf(post.url).empty() && hostOf(wanted) == hostOf(post.url);
}

} // namespace

Reply WallControl::venuePost(const VenueSubmission& s) {
    const UnixTime now = deps_.clock();
    Post post;
    post.id = "venue:" + randomToken().substr(0, 20);
    post.source = "venue";
    post.createdAt = now;
    post.author.name = s.name.empty() ? "Guest" : s.name;
    post.text = s.text;
    if (s.photo) {
        if (!deps_.media) {
            return failure(503, "photo: this wall keeps no pictures; send the text alone");
        }
        auto url = deps_.media->keepPhoto(s.photo->jpeg);
        if (!url) {
            logError("venue", url.error());
            return failure(507, "photo: the wall cannot keep it now; send the text alone");
        }
        post.media.push_back({*url, "", s.photo->width, s.photo->height, "image"});
    }
    const Decision d = deps_.moderator.judge(post, now);
    deps_.db.savePosts({{post, d.verdict, d.reason}}, now);
    logInfo("venue", "post " + post.id + " from " + s.client + ": " + verdictName(d.verdict) +
                         (d.reason.empty() ? "" : " (" + describe(d.reason) + ")"));
    if (d.verdict == Verdict::Show) {
        deps_.store.add({post});
        publish();
        return {201, json{{"id", post.id}, {"state", "shown"}}};
    }
    // A hidden post gets the same answer as a waiting one: the filter's words stay private.
    return {201, json{{"id", post.id}, {"state", "waiting"}}};
}

Reply WallControl::venueWaits() const {
    const ModerationRules rules = deps_.moderator.rules();
    return {200, json{{"waits", rules.venueApproveFirst || rules.mode == ModerationMode::Pre}}};
}

Reply WallControl::venueOnScreen() const {
    json posts = json::array();
    std::set<std::string> listed;
    const auto add = [&](const Post& p) {
        if (p.source != "announcement" && listed.insert(p.id).second) {
            posts.push_back(publicCard(p));
        }
    };
    for (const auto& p : deps_.live.onScreen().page) {
        add(p);
    }
    // Then the newest on the wall: a post that was up a moment ago is still easy to pick.
    auto snapshot = deps_.store.snapshot();
    std::vector<const Post*> newest;
    for (const auto& p : *snapshot) {
        newest.push_back(&p);
    }
    std::sort(newest.begin(), newest.end(),
              [](const Post* a, const Post* b) { return a->createdAt > b->createdAt; });
    for (const Post* p : newest) {
        if (posts.size() >= 30) {
            break;
        }
        add(*p);
    }
    return {200, json{{"posts", posts}}};
}

void WallControl::setAttendeeUrl(const std::string& url) {
    attendeeUrl_ = url;
    publish();
}

void WallControl::setSetupUrl(const std::string& url) {
    setupUrl_ = url;
    publish();
}

Reply WallControl::hold(const StoredPost& stored) {
    const std::string& id = stored.post.id;
    const UnixTime now = deps_.clock();
    deps_.moderator.hold(id);
    deps_.db.saveDecision(id, Verdict::Queue, now);
    deps_.db.savePosts({{stored.post, Verdict::Queue, {ReasonKind::RemovalAsked, ""}}}, now);
    deps_.db.setPinned(id, false);
    std::erase(config_.pinned, id);
    deps_.store.remove({id});
    publish();
    share("post/" + id, {{"verdict", "hold"}});
    return {200, json{{"id", id}, {"state", "queued"}}};
}

Reply WallControl::askRemoval(const std::string& wanted) {
    const Post* match = nullptr;
    auto snapshot = deps_.store.snapshot();
    for (const auto& p : *snapshot) {
        if (p.source != "announcement" && linkNames(wanted, p)) {
            match = &p;
            break;
        }
    }
    if (!match) {
        return failure(404, "That post is not on the wall now. Paste the link of the post "
                            "itself, or pick it from the list.");
    }
    const std::string id = match->id;
    logInfo("venue", "removal asked for " + id + "; off the wall until the organiser decides");
    return hold(StoredPost{*match, Verdict::Show, {}});
}

} // namespace kiosk
