// See CardPreparer.h.
#include "kiosk/render/CardPreparer.h"

#include "kiosk/base/Log.h"
#include "kiosk/render/LayerRenderer.h"

#include <SDL.h>

#include <algorithm>
#include <set>

namespace kiosk {

std::string cardKey(const Post& post, const Rect& slot, UnixTime now) {
    return post.id + "|" + std::to_string(slot.x) + "," + std::to_string(slot.y) + "," +
           std::to_string(slot.w) + "x" + std::to_string(slot.h) + "|" + std::to_string(now / 60);
}

PreparedCard::~PreparedCard() {
    for (auto& [name, surface] : surfaces) {
        SDL_FreeSurface(surface);
    }
}

std::unique_ptr<PreparedCard> prepareCard(const CardRequest& request, const CardStyle& style,
                                          TextEngine& text, const MediaLookup& media) {
    auto card = std::make_unique<PreparedCard>();
    card->key = cardKey(request.post, request.slot, request.now);
    const Post& post = request.post;
    std::optional<std::string> avatarPath, picturePath;
    if (media) {
        avatarPath = post.author.avatar.empty() ? std::nullopt : media(post.author.avatar);
        const Media* picture = cardPicture(post, style.options);
        if (picture) {
            picturePath = media(picture->url);
        }
        if (!post.author.avatar.empty() && !avatarPath) {
            card->missingMedia.push_back(post.author.avatar);
        }
        if (picture && !picturePath) {
            card->missingMedia.push_back(picture->url);
        }
    }
    CardMedia available;
    if (media) {
        for (const auto& e : post.customEmoji) {
            if (auto path = media(e.url)) {
                available.emoji.emplace_back(e.shortcode, *path);
            }
        }
    }
    if (avatarPath && probeImageFile(*avatarPath, style.limits)) {
        available.avatar = true;
    }
    if (picturePath) {
        if (auto info = probeImageFile(*picturePath, style.limits)) {
            available.pictureWidth = info->width;
            available.pictureHeight = info->height;
        }
    }
    // Lay out, decode the pictures the layout placed; a picture that fails to decode is left
    // out and the card laid out again without it.
    for (int attempt = 0; attempt < 3; ++attempt) {
        card->layer = layoutCard(post, style.theme, request.slot, available, style.options, text,
                                 request.now);
        bool relayout = false;
        for (auto& [key, surface] : card->surfaces) {
            SDL_FreeSurface(surface);
        }
        card->surfaces.clear();
        for (const auto& image : card->layer.images) {
            const bool isAvatar = image.round;
            const std::string& path = isAvatar ? *avatarPath : *picturePath;
            auto decoded =
                loadImageCover(path, image.rect.w, image.rect.h, image.round, style.limits);
            if (!decoded) {
                logWarn("render", decoded.error() + "; showing the card without it");
                if (isAvatar) {
                    available.avatar = false;
                } else {
                    available.pictureWidth = available.pictureHeight = 0;
                }
                relayout = true;
                break;
            }
            card->surfaces.emplace_back(image.key, *decoded);
        }
        if (!relayout) {
            break;
        }
    }
    for (const auto& item : card->layer.texts) {
        if (SDL_Surface* s = text.renderLine(item)) {
            card->surfaces.emplace_back(LayerRenderer::textKey(item), s);
        }
    }
    return card;
}

namespace {
bool anyArrived(const PreparedCard& card, const MediaLookup& media) {
    return media && std::any_of(card.missingMedia.begin(), card.missingMedia.end(),
                                [&](const std::string& url) { return media(url).has_value(); });
}
} // namespace

CardPreparer::CardPreparer(CardStyle style, MediaLookup media, std::vector<FontFace> fonts)
    : style_(std::move(style)), media_(std::move(media)), fonts_(std::move(fonts)),
      thread_([this] { run(); }) {}

CardPreparer::~CardPreparer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void CardPreparer::request(std::vector<CardRequest> requests) {
    std::set<std::string> wanted;
    for (const auto& r : requests) {
        wanted.insert(cardKey(r.post, r.slot, r.now));
    }
    {
        std::lock_guard lock(mutex_);
        pending_ = std::move(requests);
        ++generation_;
        // Cards from two requests back were for pages that have come and gone; the previous
        // request's cards are kept, since the page being shown now was among them, and so is
        // any card asked for again (requests come quickly while pictures arrive).
        std::erase_if(ready_, [&](const auto& kv) {
            return kv.second.generation + 1 < generation_ && !wanted.count(kv.first);
        });
    }
    wake_.notify_one();
}

std::unique_ptr<PreparedCard> CardPreparer::take(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto it = ready_.find(key);
    if (it == ready_.end()) {
        return nullptr;
    }
    auto card = std::move(it->second.card);
    ready_.erase(it);
    return card;
}

bool CardPreparer::waitFor(const std::vector<std::string>& keys,
                           std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return readyCv_.wait_for(lock, timeout, [&] {
        return std::all_of(keys.begin(), keys.end(),
                           [&](const std::string& k) { return ready_.count(k) > 0; });
    });
}

std::size_t CardPreparer::prepared() const {
    std::lock_guard lock(mutex_);
    return preparedCount_;
}

void CardPreparer::run() {
    TextEngine text(fonts_); // fonts are not shared across threads
    for (;;) {
        CardRequest next;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
            if (stopping_) {
                return;
            }
            next = std::move(pending_.front());
            pending_.erase(pending_.begin());
            if (auto it = ready_.find(cardKey(next.post, next.slot, next.now));
                it != ready_.end() && !anyArrived(*it->second.card, media_)) {
                it->second.generation = generation_; // asked for again: still wanted
                continue;
            }
        }
        auto card = prepareCard(next, style_, text, media_);
        text.releaseGlyphs(); // a card's glyphs are in its surfaces now
        std::lock_guard lock(mutex_);
        if (ready_.size() > 12) {
            ready_.clear(); // a backstop: never taken, the wall moved on
        }
        const std::string key = card->key;
        ready_[key] = {generation_, std::move(card)};
        ++preparedCount_;
        readyCv_.notify_all();
    }
}

} // namespace kiosk
