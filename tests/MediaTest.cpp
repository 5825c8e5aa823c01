// Image headers read without decoding (hostile ones refused), and the media cache: what it
// accepts, what it refuses, how it evicts, and the worker that fills it.
#include "kiosk/base/ImageHeader.h"
#include "kiosk/fetch/MediaDownloads.h"
#include "kiosk/media/MediaCache.h"

#include "TestSupport.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace kiosk {
namespace {

namespace fs = std::filesystem;

std::string be32(std::uint32_t v) {
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}

// Signature, IHDR, one IDAT filling the file to `fileSize` bytes (at least 57) and IEND; CRCs
// left zero (nothing here checks them).
std::string png(std::uint32_t w, std::uint32_t h, std::size_t fileSize = 73) {
    const std::size_t data = std::max<std::size_t>(fileSize, 57) - 57;
    std::string b("\x89PNG\r\n\x1a\n", 8);
    b += be32(13) + "IHDR" + be32(w) + be32(h) + std::string("\x08\x06\x00\x00\x00", 5);
    b += be32(0) + be32(std::uint32_t(data)) + "IDAT" + std::string(data, 'x') + be32(0);
    return b + be32(0) + "IEND" + be32(0);
}

std::string gif(int w, int h) {
    return std::string("GIF89a") + char(w & 0xFF) + char(w >> 8) + char(h & 0xFF) + char(h >> 8) +
           std::string(20, '\0');
}

std::string jpeg(int w, int h) {
    std::string b("\xFF\xD8", 2);
    b += std::string("\xFF\xE0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00", 18);
    b += std::string("\xFF\xC0\x00\x11\x08", 5) + char(h >> 8) + char(h & 0xFF) + char(w >> 8) +
         char(w & 0xFF) + std::string("\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01", 10);
    b += std::string("\xFF\xDA", 2) + std::string(16, '\0');
    return b;
}

std::string webpVp8x(int w, int h) {
    std::string b = "RIFF" + std::string(4, '\0') + "WEBPVP8X" + std::string(4, '\0');
    b += std::string(4, '\0');
    const int wm = w - 1, hm = h - 1;
    b += {char(wm & 0xFF), char((wm >> 8) & 0xFF), char(wm >> 16),
          char(hm & 0xFF), char((hm >> 8) & 0xFF), char(hm >> 16)};
    return b + std::string(8, '\0');
}

TEST(ImageHeader, ReadsTheFourFormats) {
    EXPECT_EQ(readImageHeader(png(640, 480))->width, 640);
    EXPECT_EQ(readImageHeader(png(640, 480))->height, 480);
    EXPECT_EQ(readImageHeader(gif(300, 200))->format, "gif");
    EXPECT_EQ(readImageHeader(gif(300, 200))->height, 200);
    const auto j = readImageHeader(jpeg(1600, 1200));
    ASSERT_TRUE(j);
    EXPECT_EQ(j->format, "jpeg");
    EXPECT_EQ(j->width, 1600);
    EXPECT_EQ(j->height, 1200);
    const auto w = readImageHeader(webpVp8x(2048, 1536));
    ASSERT_TRUE(w);
    EXPECT_EQ(w->width, 2048);
    EXPECT_EQ(w->height, 1536);
}

TEST(ImageHeader, RefusesWhatIsNotAnImageOrIsCutShort) {
    EXPECT_FALSE(readImageHeader("<!DOCTYPE html><html>not a picture</html>"));
    EXPECT_FALSE(readImageHeader(png(10, 10).substr(0, 20))); // truncated before the size
    EXPECT_FALSE(readImageHeader(jpeg(10, 10).substr(0, 12)));
    EXPECT_FALSE(readImageHeader(std::string("\xFF\xD8\xFF\xDA", 4) + std::string(40, 'x')));
    EXPECT_FALSE(readImageHeader(""));
    EXPECT_FALSE(readImageHeader("RIFF\0\0\0\0WAVEfmt "));
}

TEST(ImageHeader, LimitsCatchDecompressionBombs) {
    EXPECT_EQ(checkImageLimits(*readImageHeader(png(1920, 1080)), 8192, 40000000), "");
    EXPECT_EQ(checkImageLimits(*readImageHeader(png(20000, 20000)), 8192, 40000000),
              "png declares 20000x20000 pixels, over the limit of 40 megapixels or 8192 pixels a "
              "side");
    EXPECT_NE(checkImageLimits(*readImageHeader(png(8000, 8000)), 8192, 40000000), "");
    EXPECT_NE(checkImageLimits(*readImageHeader(png(0, 10)), 8192, 40000000), "");
}

TEST(ImageHeader, EveryPngChunkMustLieInsideTheFile) {
    // SDL_image's PNG reader does not notice a short read: a chunk longer than the file has
    // libpng inflate stale buffers up to its claimed length (minutes for a few hundred bytes).
    const std::string whole = png(96, 96);
    const ImageInfo info = *readImageHeader(whole);
    EXPECT_EQ(checkImageBytes(info, whole), "");
    EXPECT_EQ(checkImageBytes(info, whole + "trailing bytes after IEND"), "");
    std::string liar = whole;
    liar.replace(33, 4, be32(553648419)); // the IDAT's length
    EXPECT_EQ(checkImageBytes(info, liar),
              "png chunk IDAT at byte 33 claims 553648419 bytes but 28 follow: cut short or "
              "damaged");
    liar.replace(33, 4, be32(0x80000010u)); // over PNG's own limit of 2^31 - 1
    EXPECT_NE(checkImageBytes(info, liar).find("claims 2147483664 bytes"), std::string::npos);
    EXPECT_EQ(checkImageBytes(info, whole.substr(0, whole.size() - 12)),
              "png ends without IEND after 61 bytes: cut short or damaged");
    EXPECT_NE(checkImageBytes(info, whole.substr(0, 50)).find("claims 16 bytes but 5 follow"),
              std::string::npos);
    // Other formats' decoders see the end of the data themselves.
    const std::string j = jpeg(10, 10);
    EXPECT_EQ(checkImageBytes(*readImageHeader(j), j.substr(0, 30)), "");
}

fs::path freshDir(const std::string& name) {
    const auto dir =
        fs::temp_directory_path() / ("kiosk-media-" + std::to_string(::getpid()) + "-" + name);
    fs::remove_all(dir);
    return dir;
}

HttpResponse image(const std::string& body, const std::string& type = "image/png") {
    HttpResponse r;
    r.status = 200;
    r.body = body;
    r.headers["content-type"] = type;
    return r;
}

TEST(MediaCache, StoresGoodImagesAndRefusesTheRest) {
    test::FakeHttpClient http;
    http.on("https://cdn.example/avatar.png",
            [](const HttpRequest&) { return image(png(96, 96)); });
    http.on("https://cdn.example/page.jpg",
            [](const HttpRequest&) { return image("<html>login wall</html>", "text/html"); });
    http.on("https://cdn.example/liar.jpg",
            [](const HttpRequest&) { return image("definitely not jpeg", "image/jpeg"); });
    http.on("https://cdn.example/bomb.png",
            [](const HttpRequest&) { return image(png(20000, 20000)); });
    http.on("https://cdn.example/party.gif",
            [](const HttpRequest&) { return image(gif(48, 48), "image/gif"); });
    http.on("https://cdn.example/cut.png",
            [](const HttpRequest&) { return image(png(96, 96).substr(0, 60)); });
    MediaCache cache(freshDir("accept"), {});
    const auto good = downloadMedia(cache, http, "https://cdn.example/avatar.png");
    ASSERT_TRUE(good.ok()) << good.error();
    EXPECT_TRUE(fs::exists(*good));
    EXPECT_EQ(fs::path(*good).extension(), ".png");
    EXPECT_EQ(cache.find("https://cdn.example/avatar.png"), *good);
    EXPECT_EQ(downloadMedia(cache, http, "https://cdn.example/page.jpg").error(),
              "https://cdn.example/page.jpg: not an image (content type text/html)");
    EXPECT_NE(
        downloadMedia(cache, http, "https://cdn.example/liar.jpg").error().find("not a JPEG, PNG"),
        std::string::npos);
    EXPECT_NE(
        downloadMedia(cache, http, "https://cdn.example/bomb.png").error().find("20000x20000"),
        std::string::npos);
    EXPECT_EQ(downloadMedia(cache, http, "https://cdn.example/cut.png").error(),
              "https://cdn.example/cut.png: png chunk IDAT at byte 33 claims 16 bytes but 15 "
              "follow: cut short or damaged");
    // Debian 12's SDL_image GIF reader is not safe with strangers' files (RenderTest).
    EXPECT_EQ(downloadMedia(cache, http, "https://cdn.example/party.gif").error(),
              "https://cdn.example/party.gif: a GIF; the wall shows JPEG, PNG and WebP pictures "
              "only");
    EXPECT_NE(downloadMedia(cache, http, "file:///etc/passwd").error().find("not an http(s) URL"),
              std::string::npos);
    EXPECT_NE(downloadMedia(cache, http, "javascript:alert(1)").error().find("not an http(s) URL"),
              std::string::npos);
    EXPECT_EQ(cache.count(), 1u);
    EXPECT_EQ(http.requests.size(), 6u); // the refused schemes never reached the network
}

TEST(MediaCache, EvictsTheLeastRecentlyUsedAndSurvivesARestart) {
    const auto dir = freshDir("evict");
    test::FakeHttpClient http;
    http.on("https://cdn.example/", [](const HttpRequest&) { return image(png(10, 10, 1000)); });
    MediaLimits limits;
    limits.maxCacheBytes = 2500; // room for two 1000-byte files
    {
        MediaCache cache(dir, limits);
        ASSERT_TRUE(downloadMedia(cache, http, "https://cdn.example/a.png").ok());
        ASSERT_TRUE(downloadMedia(cache, http, "https://cdn.example/b.png").ok());
        ASSERT_TRUE(cache.find("https://cdn.example/a.png")); // a is used again: b is older
        ASSERT_TRUE(downloadMedia(cache, http, "https://cdn.example/c.png").ok());
        EXPECT_TRUE(cache.find("https://cdn.example/a.png"));
        EXPECT_FALSE(cache.find("https://cdn.example/b.png"));
        EXPECT_TRUE(cache.find("https://cdn.example/c.png"));
        EXPECT_EQ(cache.totalBytes(), 2000u);
    }
    MediaCache reopened(dir, limits);
    EXPECT_EQ(reopened.count(), 2u);
    EXPECT_TRUE(reopened.find("https://cdn.example/c.png"));
}

TEST(MediaCache, VenuePhotosAreNeverEvictedAndGoWithDeleteEverything) {
    const auto dir = freshDir("venue");
    test::FakeHttpClient http;
    http.on("https://cdn.example/", [](const HttpRequest&) { return image(png(10, 10, 1000)); });
    MediaLimits limits;
    limits.maxCacheBytes = 2500;
    MediaCache cache(dir, limits);
    const std::string jpeg = test::readFile(test::fixture("venue/camera-upright-gps.jpg"));
    auto url = cache.keepPhoto(jpeg);
    ASSERT_TRUE(url) << url.error();
    EXPECT_EQ(url->rfind(MediaCache::kPhotoScheme, 0), 0u);
    // Downloads fill the cache many times over: the photo stays.
    for (int i = 0; i < 6; ++i) {
        ASSERT_TRUE(downloadMedia(cache, http, "https://cdn.example/" + std::to_string(i)).ok());
    }
    const auto file = cache.find(*url);
    ASSERT_TRUE(file);
    EXPECT_EQ(test::readFile(*file), jpeg);
    EXPECT_EQ(cache.fileForKey(contentId(*url)), file);
    EXPECT_FALSE(cache.fileForKey("0123456789abcdef")) << "an unknown key is no file";
    // Downloading a venue URL never goes to the network.
    EXPECT_FALSE(downloadMedia(cache, http, "venue-photo:0123").ok());
    // After the event: the photo is gone with the downloads.
    EXPECT_EQ(cache.clear(), 3u);
    EXPECT_FALSE(cache.find(*url));
    EXPECT_FALSE(fs::exists(*file));
}

TEST(MediaCache, KeepsItsIndexInTheDatabase) {
    const auto dir = freshDir("index");
    const auto dbPath = (dir.parent_path() / (dir.filename().string() + ".db")).string();
    fs::remove(dbPath);
    test::FakeHttpClient http;
    http.on("https://cdn.example/", [](const HttpRequest&) { return image(png(10, 10, 1000)); });
    MediaLimits limits;
    limits.maxCacheBytes = 2500;
    UnixTime now = 1781343000;
    {
        auto db = Database::open(dbPath);
        ASSERT_TRUE(db.ok());
        MediaCache cache(dir, limits);
        cache.attachIndex(**db, [&now] { return now; });
        ASSERT_TRUE(downloadMedia(cache, http, "https://cdn.example/a.png").ok());
        now += 10;
        ASSERT_TRUE(downloadMedia(cache, http, "https://cdn.example/b.png").ok());
        now += 10;
        ASSERT_TRUE(cache.find("https://cdn.example/a.png")); // a is now the fresher one
        const auto entries = (*db)->loadMedia();
        ASSERT_EQ(entries.size(), 2u);
        EXPECT_EQ(entries.back().key, contentId("https://cdn.example/a.png"));
    }
    // After a restart the index still knows b is older: the next download evicts b, not a.
    auto db = Database::open(dbPath);
    ASSERT_TRUE(db.ok());
    MediaCache cache(dir, limits);
    cache.attachIndex(**db, [&now] { return now; });
    ASSERT_TRUE(downloadMedia(cache, http, "https://cdn.example/c.png").ok());
    EXPECT_TRUE(cache.find("https://cdn.example/a.png"));
    EXPECT_FALSE(cache.find("https://cdn.example/b.png"));
    std::set<std::string> keys;
    for (const auto& e : (*db)->loadMedia()) {
        keys.insert(e.key);
    }
    EXPECT_EQ(keys, (std::set<std::string>{contentId("https://cdn.example/a.png"),
                                           contentId("https://cdn.example/c.png")}));
}

// The worker makes its own clients; these all answer from the same script.
MediaWorker::ClientFactory forwardingTo(test::FakeHttpClient& http) {
    return [&http] {
        struct Forward final : HttpClient {
            test::FakeHttpClient& to;
            explicit Forward(test::FakeHttpClient& t) : to(t) {}
            HttpResponse send(const HttpRequest& r) override { return to.send(r); }
        };
        return std::make_unique<Forward>(http);
    };
}

TEST(MediaWorker, DownloadsTheQueueAndDoesNotHammerFailures) {
    test::FakeHttpClient http;
    http.on("https://cdn.example/ok.png", [](const HttpRequest&) { return image(png(48, 48)); });
    MediaCache cache(freshDir("worker"), {});
    UnixTime now = 1781343000;
    std::vector<std::string> ready;
    MediaWorker worker(
        cache, forwardingTo(http), [&now] { return now; },
        [&ready](const std::string& url) { ready.push_back(url); });
    worker.enqueue({"https://cdn.example/ok.png", "https://cdn.example/missing.png",
                    "https://cdn.example/ok.png"});
    worker.drain();
    EXPECT_EQ(ready, (std::vector<std::string>{"https://cdn.example/ok.png"}));
    EXPECT_EQ(http.requests.size(), 2u); // the duplicate was queued once
    worker.enqueue({"https://cdn.example/missing.png", "https://cdn.example/ok.png"});
    worker.drain();
    EXPECT_EQ(http.requests.size(), 2u); // a recent failure waits; a cached file is not refetched
    now += 3601;
    worker.enqueue({"https://cdn.example/missing.png"});
    worker.drain();
    EXPECT_EQ(http.requests.size(), 3u);
}

TEST(MediaWorker, AvatarsComeBackAMinuteAfterTheNetwork) {
    bool online = false;
    test::FakeHttpClient http;
    http.on("https://cdn.example/ana.png", [&online](const HttpRequest&) {
        if (online) {
            return image(png(48, 48, 400));
        }
        HttpResponse r;
        r.error = "Could not resolve host: cdn.example";
        return r;
    });
    http.onJson("https://cdn.example/gone.png", 404, "{}");
    MediaCache cache(freshDir("outage"), {});
    UnixTime now = 1781343000;
    MediaWorker worker(cache, forwardingTo(http), [&now] { return now; });
    const std::vector<std::string> urls{"https://cdn.example/ana.png",
                                        "https://cdn.example/gone.png"};
    worker.enqueue(urls);
    worker.drain();
    EXPECT_EQ(http.requests.size(), 2u);
    online = true; // the Wi-Fi is back
    now += 30;
    worker.enqueue(urls);
    worker.drain();
    EXPECT_EQ(http.requests.size(), 2u) << "not at once: a minute between tries";
    now += 31;
    worker.enqueue(urls);
    worker.drain();
    EXPECT_EQ(http.requests.size(), 3u) << "the avatar again, the 404 not for an hour";
    EXPECT_TRUE(cache.find("https://cdn.example/ana.png"));
}

TEST(MediaWorker, TheCardsAboutToShowGoFirst) {
    test::FakeHttpClient http;
    for (const char* name : {"a", "b", "c", "next-avatar", "next-picture"}) {
        http.on(std::string("https://cdn.example/") + name + ".png",
                [](const HttpRequest&) { return image(png(48, 48)); });
    }
    MediaCache cache(freshDir("priority"), {});
    MediaWorker worker(cache, forwardingTo(http), [] { return UnixTime(1781343000); });
    worker.enqueue({"https://cdn.example/a.png", "https://cdn.example/b.png",
                    "https://cdn.example/next-picture.png", "https://cdn.example/c.png"});
    worker.prioritise(
        {"https://cdn.example/next-avatar.png", "https://cdn.example/next-picture.png"});
    worker.drain();
    std::vector<std::string> order;
    for (const auto& r : http.requests) {
        order.push_back(r.substr(std::string("https://cdn.example/").size()));
    }
    EXPECT_EQ(order, (std::vector<std::string>{"next-avatar.png", "next-picture.png", "a.png",
                                               "b.png", "c.png"}));
}

} // namespace
} // namespace kiosk
