// XML feeds -> Posts. Element names are matched by local name so a feed that binds the usual
// namespaces to other prefixes still reads. Item text is HTML and goes through htmlToText.
#include "kiosk/sources/Feeds.h"

#include "kiosk/base/Url.h"
#include "kiosk/base/Utf8.h"
#include "kiosk/text/Html.h"
#include "kiosk/text/TextWrap.h"

#include <pugixml.hpp>

#include <cstring>
#include <sstream>

namespace kiosk {
namespace {

std::string_view localName(const char* name) {
    const char* colon = std::strrchr(name, ':');
    return colon ? colon + 1 : name;
}

// Unprefixed first: an RSS channel has both <link> and <atom:link rel="self">.
pugi::xml_node child(pugi::xml_node node, std::string_view local) {
    if (pugi::xml_node exact = node.child(std::string(local).c_str())) {
        return exact;
    }
    for (pugi::xml_node c : node.children()) {
        if (c.type() == pugi::node_element && localName(c.name()) == local) {
            return c;
        }
    }
    return {};
}

std::string text(pugi::xml_node node) {
    std::string out;
    for (pugi::xml_node c : node.children()) {
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
            out += c.value();
        }
    }
    return cleanInlineText(out);
}

std::string innerXml(pugi::xml_node node) {
    std::ostringstream s;
    for (pugi::xml_node c : node.children()) {
        c.print(s, "", pugi::format_raw);
    }
    return s.str();
}

// Atom text constructs: type="xhtml" carries markup as elements, the others as text.
std::string atomText(pugi::xml_node node) {
    const std::string type = node.attribute("type").as_string("text");
    if (type == "xhtml") {
        return htmlToText(innerXml(node)).text;
    }
    std::string raw;
    for (pugi::xml_node c : node.children()) {
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
            raw += c.value();
        }
    }
    return type == "text" ? raw : htmlToText(raw).text;
}

// Long articles become an excerpt; a wall card shows a few sentences at most.
std::string excerpt(std::string body, std::size_t limit = 600) {
    if (body.size() <= limit) {
        return body;
    }
    std::size_t cut = body.rfind(' ', limit);
    if (cut == std::string::npos || cut < limit / 2) {
        cut = utf8Boundary(body, limit);
    }
    return body.substr(0, cut) + " …";
}

// "title\nbody" without stray newlines when either is missing.
std::string titleAndBody(const std::string& title, const std::string& body) {
    if (title.empty() || body.empty() || body == title) {
        return title.empty() ? body : title;
    }
    return title + "\n" + body;
}

void requireContent(const Post& post, const std::string& what) {
    if (post.text.empty() && post.media.empty()) {
        throw std::runtime_error(what + " has nothing to show (no title, text or picture)");
    }
}

std::string lineColumn(std::string_view body, std::ptrdiff_t offset) {
    int line = 1, column = 1;
    for (std::ptrdiff_t i = 0; i < offset && std::size_t(i) < body.size(); ++i) {
        if (body[std::size_t(i)] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::string feedHost(const std::string& context, const std::string& link) {
    std::string host = context.empty() ? hostOf(link) : context;
    return host.empty() ? "feed" : host;
}

// WordPress comment feeds title their channel "Comments on: <post>" and items "By: <author>".
std::string postTitleFromChannel(const std::string& title) {
    for (const char* prefix : {"Comments on: ", "Comments on "}) {
        if (title.rfind(prefix, 0) == 0) {
            return title.substr(std::strlen(prefix));
        }
    }
    return {};
}

void addImage(Post& post, const std::string& url, const std::string& alt = "") {
    const std::string web = webUrlOrEmpty(url);
    for (const auto& m : post.media) {
        if (m.url == web) {
            return;
        }
    }
    if (!web.empty()) {
        post.media.push_back({web, alt, 0, 0, "image"});
    }
}

void addHtmlImages(Post& post, const HtmlText& html) {
    for (const auto& [url, alt] : html.images) {
        addImage(post, url, alt);
    }
}

// Items without a date get the time we first saw them (when the caller knows it).
UnixTime dateOrNow(std::optional<UnixTime> when, const ParseContext& context, Post& post,
                   const std::string& what) {
    if (when) {
        return *when;
    }
    if (context.now == 0) {
        throw std::runtime_error(what + " has no valid date");
    }
    post.timeGuessed = true;
    return context.now;
}

void readMediaElements(pugi::xml_node item, Post& post) {
    for (pugi::xml_node c : item.children()) {
        const std::string_view name = localName(c.name());
        const std::string type = c.attribute("type").as_string();
        const bool image = type.rfind("image/", 0) == 0 ||
                           std::string_view(c.attribute("medium").as_string()) == "image";
        if ((name == "enclosure" && image) || (name == "content" && image)) {
            addImage(post, c.attribute("url").as_string());
        } else if (name == "thumbnail" && c.attribute("url")) {
            addImage(post, c.attribute("url").as_string());
        }
    }
}

Post readRssItem(pugi::xml_node item, const std::string& host, const std::string& channelTitle,
                 const ParseContext& context) {
    Post post;
    post.source = "rss";
    const std::string title = htmlToText(text(child(item, "title"))).text;
    const std::string link = text(child(item, "link"));
    const HtmlText encoded = htmlToText(text(child(item, "encoded")));
    const HtmlText description = htmlToText(text(child(item, "description")));
    std::string guid = text(child(item, "guid"));
    if (guid.empty()) {
        guid =
            !link.empty() ? link : contentId(title + "\n" + description.text + "\n" + encoded.text);
    }
    post.id = "rss:" + host + ":" + guid;
    post.url = webUrlOrEmpty(link);
    if (!post.url.empty()) {
        post.links.push_back(post.url);
    }
    const std::string date = text(child(item, "pubDate"));
    auto when = parseRfc822Time(date);
    if (!when) {
        when = parseIsoTime(date); // some feeds put ISO dates in pubDate, or use dc:date
    }
    if (!when) {
        when = parseIsoTime(text(child(item, "date")));
    }
    post.createdAt = dateOrNow(when, context, post, "item \"" + title + "\"");
    std::string author = text(child(item, "creator"));
    if (author.empty()) {
        // RSS <author> is "email (Name)"; show the name only.
        author = text(child(item, "author"));
        const auto open = author.find('('), close = author.rfind(')');
        if (open != std::string::npos && close != std::string::npos && close > open) {
            author = author.substr(open + 1, close - open - 1);
        }
    }
    const bool comment = title.rfind("By: ", 0) == 0;
    if (author.empty() && comment) {
        author = title.substr(4);
    }
    post.author.name = author.empty() ? (channelTitle.empty() ? host : channelTitle) : author;
    if (comment) {
        post.text = encoded.text.empty() ? description.text : encoded.text;
        post.context = postTitleFromChannel(channelTitle);
    } else {
        const std::string& body = description.text.empty() ? encoded.text : description.text;
        post.text = excerpt(titleAndBody(title, body));
    }
    readMediaElements(item, post);
    addHtmlImages(post, encoded);
    addHtmlImages(post, description);
    requireContent(post, "item " + guid);
    return post;
}

Post readAtomEntry(pugi::xml_node entry, const std::string& host, const std::string& feedTitle,
                   const std::string& feedAuthor, const ParseContext& context) {
    Post post;
    post.source = "atom";
    const std::string title = atomText(child(entry, "title"));
    std::string body = atomText(child(entry, "content"));
    if (body.empty()) {
        body = atomText(child(entry, "summary"));
    }
    std::string id = text(child(entry, "id"));
    for (pugi::xml_node c : entry.children()) {
        if (localName(c.name()) == "link") {
            const std::string rel = c.attribute("rel").as_string("alternate");
            if (rel == "alternate" && post.url.empty()) {
                post.url = webUrlOrEmpty(c.attribute("href").as_string());
            } else if (rel == "enclosure" &&
                       std::string(c.attribute("type").as_string()).rfind("image/", 0) == 0) {
                addImage(post, c.attribute("href").as_string());
            }
        }
    }
    if (!post.url.empty()) {
        post.links.push_back(post.url);
    }
    if (id.empty()) {
        id = !post.url.empty() ? post.url : contentId(title + "\n" + body + innerXml(entry));
    }
    post.id = "atom:" + host + ":" + id;
    std::string date = text(child(entry, "published"));
    if (date.empty()) {
        date = text(child(entry, "updated"));
    }
    if (date.empty()) {
        date = text(child(entry, "issued")); // Atom 0.3
    }
    post.createdAt = dateOrNow(parseIsoTime(date), context, post, "entry " + id);
    const pugi::xml_node author = child(entry, "author");
    post.author.name = text(child(author, "name"));
    post.author.url = webUrlOrEmpty(text(child(author, "uri")));
    if (post.author.name.empty()) {
        post.author.name = feedAuthor.empty() ? (feedTitle.empty() ? host : feedTitle) : feedAuthor;
    }
    const bool comment = title.rfind("By: ", 0) == 0;
    if (comment) {
        post.text = body;
        post.context = postTitleFromChannel(feedTitle);
    } else {
        post.text = excerpt(titleAndBody(title, body));
    }
    // RFC 4685: replies to another comment point at it (WordPress: "#comment-N").
    if (pugi::xml_node reply = child(entry, "in-reply-to")) {
        const std::string ref = reply.attribute("ref").as_string();
        const std::string href = reply.attribute("href").as_string();
        if (href.find("#comment-") != std::string::npos && !ref.empty()) {
            post.isReply = true;
            post.parentId = "atom:" + host + ":" + ref;
        }
    }
    readMediaElements(entry, post);
    for (const char* part : {"content", "summary"}) {
        pugi::xml_node node = child(entry, part);
        const std::string type = node.attribute("type").as_string("text");
        if (type != "text") {
            addHtmlImages(post, htmlToText(type == "xhtml" ? innerXml(node) : text(node)));
        }
    }
    requireContent(post, "entry " + id);
    return post;
}

Result<ParseOutput> parseFeedXml(std::string_view body, const ParseContext& context) {
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(
        body.data(), body.size(), pugi::parse_default | pugi::parse_ws_pcdata_single);
    // pugixml keeps what it read before an error: a truncated feed still gives its first items.
    const std::string broken =
        parsed ? ""
               : "XML error at " + lineColumn(body, parsed.offset) + ": " + parsed.description();
    ParseOutput out;
    const auto run = [&out](auto&& read, pugi::xml_node node, std::size_t index) {
        out.record(localName(node.name()), index, [&] { return read(node); });
    };
    pugi::xml_node root = doc.document_element();
    const std::string_view rootName = root ? localName(root.name()) : "";
    if (rootName == "rss" || rootName == "RDF") {
        pugi::xml_node channel = child(root, "channel");
        const std::string channelTitle = htmlToText(text(child(channel, "title"))).text;
        const std::string host = feedHost(context.server, text(child(channel, "link")));
        // RSS 1.0 (RDF) puts items beside the channel, RSS 2.0 inside it.
        std::size_t i = 0;
        for (pugi::xml_node parent : {channel, root}) {
            for (pugi::xml_node item : parent.children()) {
                if (localName(item.name()) == "item") {
                    run(
                        [&](pugi::xml_node n) {
                            return readRssItem(n, host, channelTitle, context);
                        },
                        item, i++);
                }
            }
        }
    } else if (rootName == "feed") {
        const std::string title = atomText(child(root, "title"));
        std::string home;
        for (pugi::xml_node c : root.children()) {
            if (localName(c.name()) == "link" &&
                std::string_view(c.attribute("rel").as_string("alternate")) == "alternate") {
                home = c.attribute("href").as_string();
            }
        }
        const std::string host =
            feedHost(context.server, home.empty() ? text(child(root, "id")) : home);
        const std::string feedAuthor = text(child(child(root, "author"), "name"));
        std::size_t i = 0;
        for (pugi::xml_node entry : root.children()) {
            if (localName(entry.name()) == "entry") {
                run(
                    [&](pugi::xml_node n) {
                        return readAtomEntry(n, host, title, feedAuthor, context);
                    },
                    entry, i++);
            }
        }
    } else if (broken.empty()) {
        return Error{"not an RSS or Atom feed (the document starts with <" + std::string(rootName) +
                     ">)"};
    }
    if (!broken.empty()) {
        if (out.posts.empty()) {
            return Error{broken};
        }
        out.skipped.push_back("the rest of the feed: " + broken);
    }
    return out;
}

} // namespace

Result<ParseOutput> parseRss(std::string_view body, const ParseContext& context) {
    return parseFeedXml(body, context);
}

Result<ParseOutput> parseAtom(std::string_view body, const ParseContext& context) {
    return parseFeedXml(body, context);
}

} // namespace kiosk
