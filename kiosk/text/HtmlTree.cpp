// See HtmlTree.h. The arena never frees a block before the tree goes (gumbo's frees are no-ops),
// so no gumbo_destroy_output: the tree goes with the blocks, and an abandoned parse leaks
// nothing. Running past the budget leaves gumbo by longjmp from the allocator: gumbo is C and
// holds nothing that needs unwinding, and gumbo has no way to be told to stop.
#include "kiosk/text/HtmlTree.h"

#include "kiosk/base/Log.h"
#include "kiosk/base/Utf8.h"

#include <algorithm>
#include <csetjmp>
#include <string>

namespace kiosk {
namespace {

constexpr std::size_t kBlockBytes = 64 * 1024;
// Below this a start of the input is not worth another try.
constexpr std::size_t kShortestRetry = 1024;

void* allocate(void* userdata, std::size_t size) {
    auto* arena = static_cast<HtmlTree::Arena*>(userdata);
    void* memory = arena->take(size);
    if (!memory) {
        // Nothing with a destructor is alive between here and the setjmp in parse().
        std::longjmp(*static_cast<std::jmp_buf*>(arena->overflow), 1);
    }
    return memory;
}

void release(void*, void*) {}

// The tree's root, or nullptr when the parse ran past the arena's budget.
const GumboNode* parse(HtmlTree::Arena& arena, std::string_view html) {
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = allocate;
    options.deallocator = release;
    options.userdata = &arena;
    options.max_errors = 0;
    std::jmp_buf overflow;
    arena.overflow = &overflow;
    if (setjmp(overflow) != 0) {
        return nullptr;
    }
    return gumbo_parse_with_options(&options, html.data(), html.size())->root;
}

} // namespace

void* HtmlTree::Arena::take(std::size_t size) {
    constexpr std::size_t kAlign = alignof(std::max_align_t);
    size = (size + kAlign - 1) / kAlign * kAlign;
    if (spent + size > budget) {
        return nullptr;
    }
    if (size > left) {
        const std::size_t bytes = std::max(size, kBlockBytes);
        // operator new[] aligns for any object that fits, as gumbo's malloc would.
        blocks.push_back(std::make_unique_for_overwrite<std::byte[]>(bytes));
        next = blocks.back().get();
        left = bytes;
    }
    void* memory = next;
    next += size;
    left -= size;
    spent += size;
    return memory;
}

HtmlTree::HtmlTree(std::string_view html) {
    std::size_t length = utf8Boundary(html, kMaxHtmlBytes);
    for (;;) {
        arena_ = Arena{};
        arena_.budget = std::max(kMinArenaBudget, length * kArenaBytesPerByte);
        root_ = parse(arena_, html.substr(0, length));
        // An empty document fits any budget; root_ stays null only if gumbo changes that.
        if (root_ || length == 0) {
            break;
        }
        length = length < kShortestRetry ? 0 : utf8Boundary(html, length / 2);
    }
    if (length < utf8Boundary(html, kMaxHtmlBytes)) {
        // Ordinary HTML longer than kMaxHtmlBytes is cut without a word: that is expected.
        logWarn("html", "a post's HTML nests too much to read whole (" +
                            std::to_string(html.size()) + " bytes): read its first " +
                            std::to_string(length));
    }
}

} // namespace kiosk
