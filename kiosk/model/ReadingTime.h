// How long a card stays: long enough to read at the configured pace, never shorter or longer
// than the configured bounds. Scripts without spaces (CJK, Thai) count characters.
#pragma once

#include "kiosk/model/Post.h"

#include <vector>

namespace kiosk {

struct ReadingPace {
    double wordsPerMinute = 180; // from across a room, slower than at a desk
    double minSeconds = 8;
    double maxSeconds = 20;
};

// Words a reader takes in: space-separated words, plus one per two CJK or Thai characters.
double wordCount(std::string_view text);
// The seconds a page of cards stays: the longest read on it, within the bounds.
double readingSeconds(const std::vector<Post>& page, const ReadingPace& pace);

} // namespace kiosk
