// See SdlMemory.h.
#include "kiosk/render/SdlMemory.h"

#include <SDL.h>

#include <atomic>
#include <mutex>

namespace kiosk {
namespace {

SDL_malloc_func realMalloc = nullptr;
SDL_calloc_func realCalloc = nullptr;
SDL_realloc_func realRealloc = nullptr;
std::atomic<std::size_t> largestBytes{kLargestSdlAllocation};

void* SDLCALL cappedMalloc(std::size_t size) {
    return size > largestBytes.load(std::memory_order_relaxed) ? nullptr : realMalloc(size);
}

void* SDLCALL cappedCalloc(std::size_t count, std::size_t size) {
    const std::size_t largest = largestBytes.load(std::memory_order_relaxed);
    return size != 0 && count > largest / size ? nullptr : realCalloc(count, size);
}

void* SDLCALL cappedRealloc(void* old, std::size_t size) {
    return size > largestBytes.load(std::memory_order_relaxed) ? nullptr : realRealloc(old, size);
}

} // namespace

void limitSdlAllocations(std::size_t largest) {
    static std::once_flag once;
    std::call_once(once, [largest] {
        largestBytes = largest;
        SDL_free_func realFree = nullptr;
        SDL_GetMemoryFunctions(&realMalloc, &realCalloc, &realRealloc, &realFree);
        SDL_SetMemoryFunctions(cappedMalloc, cappedCalloc, cappedRealloc, realFree);
    });
}

} // namespace kiosk
