// A gumbo parse whose cost a stranger's HTML cannot choose. Gumbo 0.10 (Debian 12) copies its
// stack of open elements into every parse error it records, and re-opens every distinct
// formatting element (<b id=1>, <b id=2>, ...) inside each new paragraph, so its time and memory
// grow with the square of such markup. Errors are therefore not recorded, the input is read up
// to kMaxHtmlBytes, and the tree lives in an arena with a budget: a parse that runs past it is
// abandoned and a shorter start of the input is parsed instead (HtmlBounds.* holds the worst
// shapes to bounded time and memory).
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

namespace kiosk {

class HtmlTree {
public:
    // Far more than a card can show; a longer body (a whole article in a feed) is read from
    // its start.
    static constexpr std::size_t kMaxHtmlBytes = 64 * 1024;
    // Gumbo's tree of dense but ordinary markup (<p>a</p>..., lists, tables, links) takes up to
    // 64 bytes per byte of HTML, a blog article about 15: the budget is four times the densest,
    // so within 16 MB at kMaxHtmlBytes (several sources parse at once) and a small hostile body
    // is given up on after little work.
    static constexpr std::size_t kArenaBytesPerByte = 256;
    static constexpr std::size_t kMinArenaBudget = 1024 * 1024;

    explicit HtmlTree(std::string_view html);
    HtmlTree(const HtmlTree&) = delete;
    HtmlTree& operator=(const HtmlTree&) = delete;

    const GumboNode* root() const { return root_; }

    // The arena's bookkeeping; public only for gumbo's C allocator callbacks.
    struct Arena {
        std::vector<std::unique_ptr<std::byte[]>> blocks;
        std::byte* next = nullptr;
        std::size_t left = 0;
        std::size_t spent = 0;
        std::size_t budget = 0;
        void* overflow = nullptr; // the jmp_buf of the parse in progress
        void* take(std::size_t size);
    };

private:
    Arena arena_;
    const GumboNode* root_ = nullptr;
};

} // namespace kiosk
