// Prepares cards before they are needed: layout, every line of text and every picture as
// ready-made surfaces, built on a worker thread with its own fonts, so the frame loop only
// turns surfaces into textures and a transition never waits for fonts, decoders or the disk.
// prepareCard() is the same work done inline (shots, and the rare card asked for too late).
#pragma once

#include "kiosk/layout/CardLayout.h"
#include "kiosk/render/ImageLoader.h"
#include "kiosk/render/TextEngine.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

struct SDL_Surface;

namespace kiosk {

using MediaLookup = std::function<std::optional<std::string>(const std::string& url)>;

struct CardRequest {
    Post post;
    Rect slot;
    UnixTime now = 0;
};

// Names a prepared card: the post, its slot, and the minute its relative time is for.
std::string cardKey(const Post& post, const Rect& slot, UnixTime now);

struct PreparedCard {
    PreparedCard() = default;
    PreparedCard(const PreparedCard&) = delete;
    PreparedCard& operator=(const PreparedCard&) = delete;
    ~PreparedCard();

    std::string key;
    Layer layer;
    std::vector<std::pair<std::string, SDL_Surface*>> surfaces; // owned; texture cache keys
    // The avatar or picture URLs not downloaded yet: asked for again once one is, the card is
    // prepared anew with it.
    std::vector<std::string> missingMedia;
};

struct CardStyle {
    Theme theme;
    CardOptions options;
    ImageLimits limits;
};

std::unique_ptr<PreparedCard> prepareCard(const CardRequest& request, const CardStyle& style,
                                          TextEngine& text, const MediaLookup& media);

class CardPreparer {
public:
    CardPreparer(CardStyle style, MediaLookup media, std::vector<FontFace> fonts);
    ~CardPreparer();
    CardPreparer(const CardPreparer&) = delete;
    CardPreparer& operator=(const CardPreparer&) = delete;

    // What to prepare next; replaces earlier requests not started yet.
    void request(std::vector<CardRequest> requests);
    // Waits until every card named is ready (true) or the timeout passes (false). Only for the
    // very first page, which nothing could prepare ahead.
    bool waitFor(const std::vector<std::string>& keys, std::chrono::milliseconds timeout);
    // How many cards this worker has laid out so far (tests and benchmarks).
    std::size_t prepared() const;
    // The prepared card for key if it is ready (then it is handed over), else nullptr.
    std::unique_ptr<PreparedCard> take(const std::string& key);

private:
    void run();

    CardStyle style_;
    MediaLookup media_;
    std::vector<FontFace> fonts_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable readyCv_;  // a card became ready
    std::vector<CardRequest> pending_; // guarded by mutex_
    struct Ready {
        std::uint64_t generation = 0; // of the request it was prepared for
        std::unique_ptr<PreparedCard> card;
    };
    std::map<std::string, Ready> ready_; // guarded by mutex_
    std::uint64_t generation_ = 0;       // guarded by mutex_; bumped by every request()
    std::size_t preparedCount_ = 0;      // guarded by mutex_
    bool stopping_ = false;              // guarded by mutex_
    std::thread thread_;
};

} // namespace kiosk
