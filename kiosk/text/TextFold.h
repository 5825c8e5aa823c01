// Comparing words the way a moderator means them: case and accents folded ("Çà" == "ca",
// "Straße" == "strasse"), matched as whole words or phrases, never inside another word.
#pragma once

#include <string>
#include <string_view>

namespace kiosk {

std::string foldText(std::string_view text);
// True when folded phrase occurs in folded text with word boundaries on both sides.
bool containsWord(std::string_view foldedText, std::string_view foldedPhrase);

} // namespace kiosk
