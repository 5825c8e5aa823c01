// The attendee page's routes over real HTTP on the wall's own wiring: posts without an account
// (text, a photo whose location must not survive), the limits per phone, address and venue
// with their messages, requests that did not come from the page, uploads too big or too many
// at once, and "take my post off the wall". Also the limits and the EXIF reader on their own.
#include "AdminHarness.h"
#include "RawSocket.h"

#include "kiosk/admin/AdminServer.h"
#include "kiosk/admin/VenueLimits.h"
#include "kiosk/base/FileText.h"
#include "kiosk/base/ImageHeader.h"
#include "kiosk/base/UserDirs.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

namespace kiosk::test {
namespace {

using nlohmann::json;

TEST(VenueLimits, CountsPerPhonePerAddressAndForTheVenue) {
    VenueLimits limits({3, 600}, {5, 600}, {8, 600});
    const UnixTime t = 1784000000;
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(limits.take("phone-a", "10.0.0.5", t + i), 0);
    }
    // The fourth from the same phone waits until the first leaves the window.
    EXPECT_EQ(limits.take("phone-a", "10.0.0.5", t + 10), 590);
    // A second phone behind the same address has two left of the address's five.
    EXPECT_EQ(limits.take("phone-b", "10.0.0.5", t + 10), 0);
    EXPECT_EQ(limits.take("phone-b", "10.0.0.5", t + 11), 0);
    EXPECT_GT(limits.take("phone-c", "10.0.0.5", t + 12), 0) << "a made-up phone, same address";
    EXPECT_GT(limits.take("", "10.0.0.5", t + 12), 0) << "no cookie at all";
    // Other addresses share the venue's eight.
    EXPECT_EQ(limits.take("phone-d", "10.0.0.6", t + 13), 0);
    EXPECT_EQ(limits.take("phone-e", "10.0.0.7", t + 13), 0);
    EXPECT_EQ(limits.take("phone-f", "10.0.0.8", t + 13), 0);
    EXPECT_GT(limits.take("phone-g", "10.0.0.9", t + 14), 0) << "the venue's limit";
    // check() does not count; after the window everything is free again.
    EXPECT_EQ(limits.check("phone-a", "10.0.0.5", t + 700), 0);
    EXPECT_EQ(limits.take("phone-a", "10.0.0.5", t + 700), 0);
}

TEST(ImageHeader, ReadsTheCamerasOrientationFromExif) {
    const std::string photo = readFile(fixture("venue/camera-upright-gps.jpg"));
    auto info = readImageHeader(photo);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->width, 2400);
    EXPECT_EQ(info->height, 1600);
    EXPECT_EQ(info->orientation, 6);
    // An EXIF block cut short or lying about its offsets reads as "as stored".
    std::string cut = photo;
    const auto ifd = cut.find("II*");
    cut[ifd + 4] = '\xff'; // IFD0 offset far beyond the block
    EXPECT_EQ(readImageHeader(cut)->orientation, 1);
}

const char* kVenueBlock = R"("venue": {"enabled": true, "posts_per_device": 3,
              "posts_per_address": 5, "removals_per_device": 2, "max_photo_mb": 2,
              "qr": true},
  "sources": [)";

class VenueTest : public AdminHarness {
protected:
    std::string configText() const override {
        std::string text = kAdminConfig;
        text.replace(text.find("\"sources\": ["), 12, kVenueBlock);
        return text;
    }

    // The page's own request headers, from a phone with this device cookie.
    static httplib::Headers phone(const std::string& device) {
        httplib::Headers h{{"X-Kiosk-Venue", "1"}, {"Sec-Fetch-Site", "same-origin"}};
        if (!device.empty()) {
            h.emplace("Cookie", std::string("kiosk_device=") + device);
        }
        return h;
    }

    httplib::Result postForm(const std::string& device, const std::string& name,
                             const std::string& text, const std::string& photo = "") {
        httplib::MultipartFormDataItems items{{"name", name, "", ""}, {"text", text, "", ""}};
        if (!photo.empty()) {
            items.push_back({"photo", photo, "IMG_2041.jpg", "image/jpeg"});
        }
        auto c = client();
        return c.Post("/api/venue/posts", phone(device), items);
    }

    json queuedVenuePosts() {
        json all = send("GET", "/api/posts?state=queued", "", 200);
        json venue = json::array();
        for (const auto& p : all["posts"]) {
            if (p.value("source", "") == "venue") {
                venue.push_back(p);
            }
        }
        return venue;
    }
};

TEST_F(VenueTest, APostWithoutAnAccountWaitsForTheOrganiserThenShows) {
    auto c = client();
    auto info = c.Get("/api/venue");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->status, 200);
    EXPECT_EQ(json::parse(info->body)["event"], "Harbour Camp");
    EXPECT_NE(info->get_header_value("Set-Cookie").find("kiosk_device="), std::string::npos);
    EXPECT_EQ(c.Get("/post")->status, 200);

    auto res = postForm("phone-1", "  Lena  ",
                        "The choir at the pier was lovely\r\n\r\n\r\n\r\nThank you!");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    const json answer = json::parse(res->body);
    EXPECT_EQ(answer["state"], "waiting");
    EXPECT_NE(answer["message"].get<std::string>().find("organiser"), std::string::npos);

    const json venue = queuedVenuePosts();
    ASSERT_EQ(venue.size(), 1u);
    EXPECT_EQ(venue[0]["name"], "Lena");
    EXPECT_EQ(venue[0]["text"], "The choir at the pier was lovely\n\nThank you!");
    const std::string id = venue[0]["id"];
    EXPECT_EQ(id.rfind("venue:", 0), 0u);
    for (const auto& p : *store().snapshot()) {
        EXPECT_NE(p.id, id) << "on the wall before approval";
    }
    send("POST", "/api/posts/approve", json{{"id", id}}.dump(), 200);
    bool onWall = false;
    for (const auto& p : *store().snapshot()) {
        onWall = onWall || (p.id == id && p.source == "venue");
    }
    EXPECT_TRUE(onWall);
}

TEST_F(VenueTest, TheQrCodePointsAtTheAttendeePage) {
    // Set on the page's command queue once it listens: wait for it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (live->config()->event.url.empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    const auto drawn = live->config();
    EXPECT_EQ(drawn->event.url, "http://127.0.0.1:" + std::to_string(port) + "/post");
    EXPECT_EQ(callToActionText(drawn->event), "Scan to post here, or use #HarbourCamp");
    // Still so after the organiser changed something else.
    send("PUT", "/api/hashtags", R"({"hashtags": ["HarbourCamp", "Harbour26"]})", 200);
    EXPECT_EQ(live->config()->event.url, drawn->event.url);
}

TEST_F(VenueTest, APhotoLosesItsLocationAndCameraAndStandsUpright) {
    const std::string original = readFile(fixture("venue/camera-upright-gps.jpg"));
    ASSERT_NE(original.find("Exif"), std::string::npos);
    auto res = postForm("phone-2", "", "Sunset from the camp", original);
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;

    const json venue = queuedVenuePosts();
    ASSERT_EQ(venue.size(), 1u);
    EXPECT_EQ(venue[0]["name"], "Guest");
    ASSERT_TRUE(venue[0].contains("picture")) << venue[0].dump();
    auto c = client();
    auto picture = c.Get(venue[0]["picture"].get<std::string>().c_str(), bearer());
    ASSERT_TRUE(picture);
    ASSERT_EQ(picture->status, 200);
    const std::string& kept = picture->body;
    auto info = readImageHeader(kept);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->format, "jpeg");
    // Stored 2400x1600 with "turn 90 degrees" in EXIF: kept upright, at most 1920 px.
    EXPECT_EQ(info->width, 1280);
    EXPECT_EQ(info->height, 1920);
    EXPECT_EQ(info->orientation, 1);
    EXPECT_EQ(kept.find("Exif"), std::string::npos);
    EXPECT_EQ(kept.find("KioskCam"), std::string::npos);
    EXPECT_LT(kept.size(), original.size() * 2);
}

TEST_F(VenueTest, RefusalsSayWhatToDo) {
    const auto refused = [](const httplib::Result& res, int status, const std::string& words) {
        ASSERT_TRUE(res);
        EXPECT_EQ(res->status, status) << res->body;
        EXPECT_NE(res->body.find(words), std::string::npos) << res->body;
    };
    refused(postForm("phone-3", "Ana", ""), 400, "write something or add a photo");
    refused(postForm("phone-3", "Ana", std::string(501, 'a')), 400, "Please shorten it");
    refused(postForm("phone-3", "Ana\xe2\x80\xae", "hi"), 400, "name");
    refused(postForm("phone-3", "Ana", "hi", "%PDF-1.7 not a picture at all"), 415,
            "not a JPEG, PNG or WebP");
    // A header that claims 20000x20000 pixels is refused before any decoder sees it.
    std::string huge = readFile(fixture("venue/camera-upright-gps.jpg"));
    const auto sof = huge.find("\xff\xc0");
    ASSERT_NE(sof, std::string::npos);
    huge[sof + 5] = '\x4e', huge[sof + 6] = '\x20', huge[sof + 7] = '\x4e', huge[sof + 8] = '\x20';
    refused(postForm("phone-3", "Ana", "hi", huge), 415, "megapixels");
    // Over the venue's 2 MB: refused from the header, the body never read (a raw socket, since
    // a client that insists on sending the rest writes into a closed connection).
    const std::string big = exchange(
        "127.0.0.40", port,
        "POST /api/venue/posts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kiosk-Venue: 1\r\n"
        "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: 3145728\r\n\r\n"
        "--xyz\r\n");
    EXPECT_EQ(big.rfind("HTTP/1.1 413", 0), 0u) << big;
    EXPECT_NE(big.find("The photo is too large: at most 2 MB"), std::string::npos) << big;

    // Without the page's header (a form on another site) or from another site.
    auto c = client();
    httplib::MultipartFormDataItems items{{"text", "spam from elsewhere", "", ""}};
    refused(c.Post("/api/venue/posts", httplib::Headers{}, items), 403, "x-kiosk-venue");
    refused(c.Post("/api/venue/posts",
                   httplib::Headers{{"X-Kiosk-Venue", "1"}, {"Sec-Fetch-Site", "cross-site"}},
                   items),
            403, "another site");
    // Not a multipart form.
    refused(c.Post("/api/venue/posts", phone("phone-3"), "text=hi",
                   "application/x-www-form-urlencoded"),
            400, "did not arrive whole");
    EXPECT_TRUE(queuedVenuePosts().empty());
}

TEST_F(VenueTest, LimitsPerPhoneAndPerAddressAnswerWithTheWait) {
    for (int i = 0; i < 3; ++i) {
        auto res = postForm("phone-4", "Jo", "Post number " + std::to_string(i));
        ASSERT_EQ(res->status, 201) << res->body;
    }
    auto fourth = postForm("phone-4", "Jo", "One more");
    ASSERT_EQ(fourth->status, 429);
    EXPECT_NE(fourth->body.find("try again in 10 minutes"), std::string::npos) << fourth->body;
    EXPECT_EQ(fourth->get_header_value("Retry-After"), "600");
    // New cookies from the same address: two more, then the address's limit.
    EXPECT_EQ(postForm("forged-1", "Jo", "Again")->status, 201);
    EXPECT_EQ(postForm("forged-2", "Jo", "Again")->status, 201);
    EXPECT_EQ(postForm("forged-3", "Jo", "Again")->status, 429);
    EXPECT_EQ(postForm("", "Jo", "Again")->status, 429);
    EXPECT_EQ(queuedVenuePosts().size(), 5u);
    now += 601;
    EXPECT_EQ(postForm("phone-4", "Jo", "After the break")->status, 201);
}

// The start of an upload of a photo of `size` bytes, as the attendee page sends it.
std::string uploadHead(std::size_t size) {
    const std::string part = "--xyz\r\nContent-Disposition: form-data; name=\"photo\"; "
                             "filename=\"IMG_2107.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
    const std::size_t length = part.size() + size + std::string("\r\n--xyz--\r\n").size();
    return "POST /api/venue/posts HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Kiosk-Venue: 1\r\n"
           "Content-Type: multipart/form-data; boundary=xyz\r\nContent-Length: " +
           std::to_string(length) + "\r\n\r\n" + part;
}

TEST_F(VenueTest, TooManyUploadsAtOnceAreAnsweredOnceTheirBodyIsIn) {
    // Eight strangers start uploads and never finish them; the ninth is told to come back.
    std::vector<int> slow;
    for (int i = 0; i < 8; ++i) {
        const std::string source = "127.0.0." + std::to_string(20 + i);
        const int fd = connectFrom(source.c_str(), port);
        ASSERT_GE(fd, 0);
        ASSERT_TRUE(sendText(fd, uploadHead(1000000)));
        slow.push_back(fd);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the server reads the headers
    // Cut off mid-upload, a phone shows a network error: the answer waits for the whole body.
    const std::size_t size = 1500 * 1024;
    const int ninth = connectFrom("127.0.0.30", port);
    ASSERT_GE(ninth, 0);
    ASSERT_TRUE(sendText(ninth, uploadHead(size) + std::string(size / 2, 'x')));
    EXPECT_FALSE(closedByServer(ninth, std::chrono::milliseconds(500)))
        << "answered or cut off before the body was in";
    ASSERT_TRUE(sendText(ninth, std::string(size - size / 2, 'x') + "\r\n--xyz--\r\n"));
    const std::string answer = readAnswer(ninth);
    ::close(ninth);
    EXPECT_EQ(answer.rfind("HTTP/1.1 503", 0), 0u) << answer;
    EXPECT_NE(answer.find("Retry-After: 5"), std::string::npos) << answer;
    EXPECT_NE(answer.find("send again in a few seconds"), std::string::npos) << answer;
    for (int fd : slow) {
        ::close(fd);
    }
    // Once they are gone, an attendee gets through.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    int status = 0;
    while (status != 201 && std::chrono::steady_clock::now() < deadline) {
        status = postForm("phone-5", "Kim", "Made it")->status;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_EQ(status, 201);
}

// A phone on a crowded Wi-Fi sends slowly but steadily: each byte earns its upload time, so it
// gets its answer after the base deadline; one that stalls is cut off at the deadline.
TEST_F(VenueTest, AnUploadThatKeepsSendingOutlivesTheBaseDeadline) {
    AdminServerOptions o;
    o.address = "127.0.0.1";
    o.port = 0;
    o.hasToken = true;
    o.uploadSeconds = 1;
    o.uploadMinRate = 64 * 1024; // 640 KB earn 10 s
    AdminServer server(*api);
    auto bound = server.start(o);
    ASSERT_TRUE(bound) << bound.error();
    const std::size_t size = 640 * 1024;
    const int steady = connectFrom("127.0.0.50", *bound);
    const int stalled = connectFrom("127.0.0.51", *bound);
    ASSERT_GE(steady, 0);
    ASSERT_GE(stalled, 0);
    ASSERT_TRUE(sendText(steady, uploadHead(size)));
    ASSERT_TRUE(sendText(stalled, uploadHead(size) + std::string(16 * 1024, 'x')));
    for (int i = 0; i < 10; ++i) { // 2.5 s, over twice the base deadline
        ASSERT_TRUE(sendText(steady, std::string(size / 10, 'x'))) << "cut off after " << i;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    ASSERT_TRUE(sendText(steady, "\r\n--xyz--\r\n"));
    const std::string answer = readAnswer(steady);
    ::close(steady);
    // Not a photo, so refused, but answered: the upload was not cut off.
    EXPECT_EQ(answer.rfind("HTTP/1.1 415", 0), 0u) << answer;
    EXPECT_TRUE(closedByServer(stalled, std::chrono::milliseconds(500)))
        << "a stalled upload keeps its socket past the deadline";
    ::close(stalled);
}

// The open files of this process whose path holds `part` (the listener runs in the test).
std::vector<std::string> openFilesLike(const std::string& part) {
    std::vector<std::string> found;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code error;
        const auto target = std::filesystem::read_symlink(entry.path(), error).string();
        if (!error && target.find(part) != std::string::npos) {
            found.push_back(target);
        }
    }
    return found;
}

TEST_F(VenueTest, APhotoArrivesOnDiskNotInMemory) {
    const std::string spool = userDir(UserDir::Cache) + "/uploads/upload-";
    const int fd = connectFrom("127.0.0.40", port);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(sendText(fd, uploadHead(1000000) + std::string(256 * 1024, '\xab')));
    std::vector<std::string> files;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (files.empty() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        files = openFilesLike(spool);
    }
    ASSERT_EQ(files.size(), 1u) << "no upload file under " << spool;
    // Unlinked at once: nothing is left behind if the wall dies mid-upload.
    EXPECT_NE(files[0].find("(deleted)"), std::string::npos) << files[0];
    ::close(fd);
    // The attendee gave up: the file goes with the request.
    const auto gone = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!openFilesLike(spool).empty() && std::chrono::steady_clock::now() < gone) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(openFilesLike(spool).empty());
}

TEST_F(VenueTest, TakeMyPostOffTheWallByLinkOrFromTheList) {
    auto c = client();
    auto list = c.Get("/api/venue/onscreen");
    ASSERT_EQ(list->status, 200);
    bool listed = false;
    const json onScreen = json::parse(list->body);
    for (const auto& p : onScreen["posts"]) {
        listed = listed || p["id"] == shown.id;
        EXPECT_NE(p["source"], "announcement");
    }
    EXPECT_TRUE(listed) << "onscreen: " << list->body;

    const auto removal = [&](const json& body) {
        auto h = phone("phone-6");
        return c.Post("/api/venue/removals", h, body.dump(), "application/json");
    };
    auto unknown = removal({{"link", "https://social.harbour.example/@x/999"}});
    EXPECT_EQ(unknown->status, 404);
    EXPECT_NE(unknown->body.find("not on the wall"), std::string::npos);

    // Mastodon shows the same post under another address on its server.
    auto res = removal({{"link", "https://social.harbour.example/@ana/102?utm=x"}});
    ASSERT_EQ(res->status, 200) << res->body;
    EXPECT_NE(res->body.find("off the wall"), std::string::npos);
    for (const auto& p : *store().snapshot()) {
        EXPECT_NE(p.id, shown.id);
    }
    json waitingPosts = send("GET", "/api/posts?state=queued", "", 200);
    bool waiting = false;
    for (const auto& p : waitingPosts["posts"]) {
        waiting = waiting || (p["id"] == shown.id && p["reason_kind"] == "removal_asked");
    }
    EXPECT_TRUE(waiting) << waitingPosts.dump();
    // The organiser decides it may stay: it is back.
    send("POST", "/api/posts/approve", json{{"id", shown.id}}.dump(), 200);
    bool back = false;
    for (const auto& p : *store().snapshot()) {
        back = back || p.id == shown.id;
    }
    EXPECT_TRUE(back);
    // Limits: two removals per phone in this config (the 404 counted as one).
    EXPECT_EQ(removal({{"id", shown.id}})->status, 429);
    // Not from the page: refused.
    EXPECT_EQ(
        c.Post("/api/venue/removals", json{{"id", shown.id}}.dump(), "application/json")->status,
        403);
}

TEST_F(VenueTest, TheOrganiserClosesAndOpensThePageFromThePhone) {
    const json closed = send("PUT", "/api/attendees", R"({"enabled": false})", 200);
    EXPECT_EQ(closed["enabled"], false);
    EXPECT_EQ(closed["url"], "http://127.0.0.1:" + std::to_string(port) + "/post");
    auto c = client();
    EXPECT_EQ(c.Get("/api/venue")->status, 404) << "closed at once, no restart";
    auto refused = postForm("phone-7", "Ada", "Still here?");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 404);
    EXPECT_NE(refused->body.find("not open"), std::string::npos);
    auto written = loadConfigFile(configPath);
    ASSERT_TRUE(written) << written.error();
    EXPECT_FALSE(written->venue.enabled) << "a restart keeps it closed";
    EXPECT_EQ(send("GET", "/api/status", "", 200)["venue"]["enabled"], false);

    // Open again, and let venue posts follow the wall's mode instead of always waiting: the
    // organiser's choice for a small event. In pre-moderation they still wait, and the page
    // must not tell attendees otherwise.
    send("PUT", "/api/attendees", R"({"enabled": true, "approve_first": false})", 200);
    EXPECT_EQ(json::parse(c.Get("/api/venue")->body)["approve_first"], true) << "mode is pre";
    send("PUT", "/api/moderation", R"({"mode": "automatic"})", 200);
    send("PUT", "/api/attendees", R"({"enabled": true, "approve_first": false})", 200);
    EXPECT_EQ(json::parse(c.Get("/api/venue")->body)["approve_first"], false);
    auto res = postForm("phone-7", "Ada", "Back on the wall straight away");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 201) << res->body;
    EXPECT_EQ(json::parse(res->body)["state"], "shown");

    // The QR code follows the switch: the event's own address when off.
    const std::string page = "http://127.0.0.1:" + std::to_string(port) + "/post";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (live->config()->event.url != page && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(live->config()->event.url, page);
    send("PUT", "/api/attendees", R"({"qr": false})", 200);
    EXPECT_NE(live->config()->event.url, page);
    EXPECT_FALSE(live->config()->event.qrIsVenuePage);
    send("PUT", "/api/attendees", R"({"qr": true})", 200);
    EXPECT_EQ(live->config()->event.url, page);
}

class ClosedVenueTest : public AdminHarness {};

TEST_F(ClosedVenueTest, WithoutTheVenueBlockNothingIsTaken) {
    auto c = client();
    EXPECT_EQ(c.Get("/api/venue")->status, 404);
    httplib::MultipartFormDataItems items{{"text", "hello", "", ""}};
    auto res = c.Post("/api/venue/posts", httplib::Headers{{"X-Kiosk-Venue", "1"}}, items);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_NE(res->body.find("not open"), std::string::npos);
}

TEST_F(ClosedVenueTest, TheOrganiserCanOpenItWithoutEditingTheConfig) {
    auto c = client();
    EXPECT_EQ(c.Get("/api/venue")->status, 404);
    send("PUT", "/api/attendees", R"({"enabled": true})", 200);
    EXPECT_EQ(c.Get("/api/venue")->status, 200);
    auto written = loadConfigFile(configPath);
    ASSERT_TRUE(written) << written.error();
    EXPECT_TRUE(written->venue.enabled);
    EXPECT_TRUE(written->venue.approveFirst) << "posts from the venue wait unless told otherwise";
}

} // namespace
} // namespace kiosk::test
