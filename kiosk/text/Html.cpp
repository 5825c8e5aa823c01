// Walks gumbo's tree once, emitting text with block structure. Whitespace is collapsed like a
// browser would (outside <pre>) so source indentation never reaches the wall.
#include "kiosk/text/Html.h"

#include "kiosk/text/HtmlTree.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace kiosk {
namespace {

bool hasClass(const GumboElement& el, std::string_view cls) {
    const GumboAttribute* attr = gumbo_get_attribute(&el.attributes, "class");
    if (!attr) {
        return false;
    }
    std::string_view all = attr->value;
    std::size_t pos = 0;
    while (pos < all.size()) {
        const std::size_t end = std::min(all.find(' ', pos), all.size());
        if (all.substr(pos, end - pos) == cls) {
            return true;
        }
        pos = end + 1;
    }
    return false;
}

bool isSkipped(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_TITLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_EMBED:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_MATH:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
        return true;
    default:
        return false;
    }
}

bool isBlock(GumboTag tag) {
    switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_FIGURE:
        return true;
    default:
        return false;
    }
}

class TextWriter {
public:
    void text(std::string_view s, bool preformatted) {
        for (char c : s) {
            const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
            if (preformatted) {
                if (c == '\r') {
                    continue;
                }
                c == '\n' ? newline() : put(c);
            } else if (space) {
                pendingSpace_ = !out_.empty() && out_.back() != '\n';
            } else {
                put(c);
            }
        }
    }
    void newline() {
        pendingSpace_ = false;
        if (!out_.empty() && out_.back() != '\n') {
            out_ += '\n';
        }
    }
    std::string finish() {
        while (!out_.empty() && (out_.back() == '\n' || out_.back() == ' ')) {
            out_.pop_back();
        }
        return std::move(out_);
    }

private:
    void put(char c) {
        if (pendingSpace_) {
            out_ += ' ';
            pendingSpace_ = false;
        }
        out_ += c;
    }
    std::string out_;
    bool pendingSpace_ = false;
};

// What a node writes before its children; true when its children are to be read.
bool enter(const GumboNode* node, TextWriter& w, HtmlText& out, bool pre) {
    switch (node->type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_CDATA:
    case GUMBO_NODE_WHITESPACE:
        w.text(node->v.text.text, pre);
        return false;
    case GUMBO_NODE_ELEMENT:
    case GUMBO_NODE_TEMPLATE:
        break;
    default:
        return false; // comments and the document node's doctype carry no visible text
    }
    const GumboElement& el = node->v.element;
    if (isSkipped(el.tag)) {
        return false;
    }
    // Mastodon hides the scheme and tail of long links, and the quote fallback when a native
    // quote exists; a reader sees neither.
    if (el.tag == GUMBO_TAG_SPAN && (hasClass(el, "invisible") || hasClass(el, "quote-inline"))) {
        return false;
    }
    if (el.tag == GUMBO_TAG_BR) {
        w.newline();
        return false;
    }
    if (el.tag == GUMBO_TAG_IMG) {
        const GumboAttribute* src = gumbo_get_attribute(&el.attributes, "src");
        const GumboAttribute* alt = gumbo_get_attribute(&el.attributes, "alt");
        std::string_view url = src ? src->value : "";
        // Tracking pixels declare themselves 1x1; they are not pictures for the wall.
        const auto tiny = [&el](const char* name) {
            const GumboAttribute* a = gumbo_get_attribute(&el.attributes, name);
            return a && std::atoi(a->value) > 0 && std::atoi(a->value) < 16;
        };
        if ((url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) && !tiny("width") &&
            !tiny("height")) {
            out.images.emplace_back(std::string(url), alt ? alt->value : "");
        }
        return false;
    }
    if (isBlock(el.tag)) {
        w.newline();
    }
    if (el.tag == GUMBO_TAG_LI) {
        w.text("• ", false);
    }
    if (el.tag == GUMBO_TAG_A && !hasClass(el, "mention") && !hasClass(el, "hashtag")) {
        if (const GumboAttribute* href = gumbo_get_attribute(&el.attributes, "href")) {
            std::string_view url = href->value;
            if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) {
                out.links.emplace_back(url);
            }
        }
    }
    return true;
}

// What an element writes after its children.
void leave(const GumboElement& el, TextWriter& w) {
    if (el.tag == GUMBO_TAG_SPAN && hasClass(el, "ellipsis")) {
        w.text("…", false);
    }
    if (isBlock(el.tag)) {
        w.newline();
    }
}

// Depth first with a stack of our own: the nesting is the stranger's choice, and one frame
// per level on the call stack ended the wall at about 90,000 levels.
void walk(const GumboNode* root, TextWriter& w, HtmlText& out) {
    struct Open {
        const GumboElement* element;
        unsigned next; // the child to read next
        bool pre;      // inside <pre>: whitespace kept
    };
    if (!enter(root, w, out, false)) {
        return;
    }
    std::vector<Open> open{{&root->v.element, 0, root->v.element.tag == GUMBO_TAG_PRE}};
    while (!open.empty()) {
        Open& top = open.back();
        if (top.next == top.element->children.length) {
            leave(*top.element, w);
            open.pop_back();
            continue;
        }
        const auto* child = static_cast<const GumboNode*>(top.element->children.data[top.next++]);
        const bool pre = top.pre;
        if (enter(child, w, out, pre)) {
            open.push_back({&child->v.element, 0, pre || child->v.element.tag == GUMBO_TAG_PRE});
        }
    }
}

} // namespace

HtmlText htmlToText(std::string_view html) {
    HtmlText out;
    const HtmlTree tree(html);
    TextWriter writer;
    if (tree.root()) {
        walk(tree.root(), writer, out);
    }
    out.text = writer.finish();
    return out;
}

std::string cleanInlineText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        // U+200B..U+200D zero-width space/joiners (ZWJ kept: emoji sequences need it),
        // U+2060 word joiner, U+FEFF BOM: invisible, but they defeat trimming.
        const auto u = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
        if (i + 2 < text.size() && u(0) == 0xE2 && u(1) == 0x80 && (u(2) == 0x8B || u(2) == 0x8C)) {
            i += 3;
        } else if (i + 2 < text.size() && u(0) == 0xE2 && u(1) == 0x81 && u(2) == 0xA0) {
            i += 3;
        } else if (i + 2 < text.size() && u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) {
            i += 3;
        } else {
            char c = text[i++];
            out += (c == '\n' || c == '\t' || c == '\r') ? ' ' : c;
        }
    }
    const auto first = out.find_first_not_of(' ');
    if (first == std::string::npos) {
        return {};
    }
    return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

} // namespace kiosk
