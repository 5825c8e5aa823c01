// A ceiling on any single allocation SDL and SDL_image make. The picture checks read headers
// and structure, but a decoder that resynchronises on damaged data (SDL_image's GIF reader
// skips bytes until it finds a frame) can still reach a frame size no check saw. With the
// ceiling such a surface is refused and the decoder fails cleanly instead of taking the board's
// memory (fuzz_picture's corpus holds such files).
#pragma once

#include <cstddef>

namespace kiosk {

// 256 MB: a 40-megapixel picture as 32-bit pixels, the largest the limits let through, fits.
constexpr std::size_t kLargestSdlAllocation = std::size_t(256) << 20;

// Wraps SDL's allocator (keeping its free, so earlier allocations stay valid); once per process,
// later calls do nothing.
void limitSdlAllocations(std::size_t largest = kLargestSdlAllocation);

} // namespace kiosk
