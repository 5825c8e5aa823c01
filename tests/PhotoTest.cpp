// The attendee photo re-encoder on real images: turned upright for every EXIF orientation,
// transparency on white, a header that lies about the size refused, metadata gone.
#include "TestSupport.h"

#include "kiosk/render/JpegDecoder.h"
#include "kiosk/render/PhotoEncoder.h"

#include <SDL.h>
#include <SDL_image.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

namespace kiosk::test {
namespace {

struct FreeSurface {
    void operator()(SDL_Surface* s) const { SDL_FreeSurface(s); }
};
using Surface = std::unique_ptr<SDL_Surface, FreeSurface>;

Surface decode(const std::string& bytes) {
    Surface raw(IMG_Load_RW(SDL_RWFromConstMem(bytes.data(), int(bytes.size())), 1));
    return Surface(raw ? SDL_ConvertSurfaceFormat(raw.get(), SDL_PIXELFORMAT_RGB24, 0) : nullptr);
}

struct Rgb {
    int r, g, b;
};
Rgb pixel(SDL_Surface* s, int x, int y) {
    const auto* p = static_cast<const std::uint8_t*>(s->pixels) + y * s->pitch + x * 3;
    return {p[0], p[1], p[2]};
}
bool reddish(Rgb c) {
    return c.r > 150 && c.b < 100;
}
bool bluish(Rgb c) {
    return c.b > 150 && c.r < 100;
}

TEST(PhotoEncoder, TurnsTheCameraPictureUprightAndDropsItsMetadata) {
    const std::string original = readFile(fixture("venue/camera-upright-gps.jpg"));
    auto photo = reencodePhoto(original, PhotoLimits{});
    ASSERT_TRUE(photo) << photo.error();
    EXPECT_EQ(photo->width, 1280);
    EXPECT_EQ(photo->height, 1920);
    EXPECT_EQ(photo->jpeg.find("Exif"), std::string::npos);
    EXPECT_EQ(photo->jpeg.find("KioskCam"), std::string::npos);
    // Stored red on the left, blue on the right, "turn 90 degrees clockwise": red on top.
    Surface s = decode(photo->jpeg);
    ASSERT_TRUE(s);
    EXPECT_TRUE(reddish(pixel(s.get(), 640, 100)));
    EXPECT_TRUE(bluish(pixel(s.get(), 640, 1820)));
}

TEST(PhotoEncoder, EveryOrientationComesOutTheSameWayUp) {
    // The camera fixture (stored: red left half, blue right half) with each EXIF orientation in
    // turn: the red half must land where that orientation says.
    std::string stored = readFile(fixture("venue/camera-upright-gps.jpg"));
    const auto at = stored.find("II*");
    ASSERT_NE(at, std::string::npos);
    for (int orientation = 1; orientation <= 8; ++orientation) {
        std::string file = stored;
        // The Orientation entry is the second of IFD0: 8 + 2 + 12 bytes in, value 8 further.
        file[at + 8 + 2 + 12 + 8] = char(orientation);
        auto photo = reencodePhoto(file, PhotoLimits{});
        ASSERT_TRUE(photo) << photo.error();
        const bool turned = orientation >= 5;
        EXPECT_EQ(photo->width, turned ? 1280 : 1920) << orientation;
        Surface s = decode(photo->jpeg);
        ASSERT_TRUE(s);
        // Where the stored left (red) half ends up for each orientation.
        const int w = s->w, h = s->h;
        const Rgb top = pixel(s.get(), w / 2, 20), bottom = pixel(s.get(), w / 2, h - 20);
        const Rgb left = pixel(s.get(), 20, h / 2), right = pixel(s.get(), w - 20, h / 2);
        switch (orientation) {
        case 1:
        case 4:
            EXPECT_TRUE(reddish(left) && bluish(right)) << orientation;
            break;
        case 2:
        case 3:
            EXPECT_TRUE(bluish(left) && reddish(right)) << orientation;
            break;
        case 5:
        case 6:
            EXPECT_TRUE(reddish(top) && bluish(bottom)) << orientation;
            break;
        case 7:
        case 8:
            EXPECT_TRUE(bluish(top) && reddish(bottom)) << orientation;
            break;
        }
    }
}

TEST(PhotoEncoder, SeeThroughPartsComeOutWhite) {
    Surface clear(SDL_CreateRGBSurfaceWithFormat(0, 64, 48, 32, SDL_PIXELFORMAT_ARGB8888));
    SDL_FillRect(clear.get(), nullptr, SDL_MapRGBA(clear->format, 0, 0, 0, 0));
    const std::string path = writeTempFile("clear.png", "");
    ASSERT_EQ(IMG_SavePNG(clear.get(), path.c_str()), 0);
    auto photo = reencodePhoto(readFile(path), PhotoLimits{});
    ASSERT_TRUE(photo) << photo.error();
    Surface s = decode(photo->jpeg);
    const Rgb c = pixel(s.get(), 32, 24);
    EXPECT_GT(c.r + c.g + c.b, 3 * 240);
}

TEST(PhotoEncoder, APictureThatEndsAfterItsHeaderIsRefused) {
    // Passes the header check (a real JPEG's first bytes), then nothing a decoder can use.
    std::string file = readFile(fixture("venue/camera-upright-gps.jpg"));
    const auto scan = file.find("\xff\xda");
    ASSERT_NE(scan, std::string::npos);
    file.resize(scan);
    auto photo = reencodePhoto(file, PhotoLimits{});
    ASSERT_FALSE(photo);
    EXPECT_NE(photo.error().find("photo: the picture cannot be read"), std::string::npos)
        << photo.error();
}

TEST(PhotoEncoder, AChunkLongerThanTheFileIsRefusedBeforeDecoding) {
    // fuzz_photo's finding: 389 bytes whose IDAT claims 553,648,419. SDL_image's PNG reader
    // ignores short reads, so libpng inflated stale buffers for 220 s per upload.
    const std::string found = readFile(KIOSK_FUZZ_CORPUS "/image/png-idat-longer-than-file.png");
    ASSERT_EQ(found.size(), 389u);
    auto photo = reencodePhoto(found, PhotoLimits{});
    ASSERT_FALSE(photo);
    EXPECT_NE(photo.error().find("damaged or was cut short (png chunk IDAT at byte 33 claims "
                                 "553648419 bytes but 344 follow"),
              std::string::npos)
        << photo.error();
}

struct Scale {
    int width, height, side, eighths;
};

TEST(JpegScale, TheSmallestDctScaleThatStillFillsTheOutput) {
    const Scale table[] = {
        {6000, 4000, 1920, 3},                          // a 24-megapixel phone photo: 2250x1500
        {4000, 6000, 1920, 3},                          // the same held upright
        {2400, 1600, 1920, 7},                          // 2100 px; 6/8 would give 1800
        {12000, 9000, 1920, 2}, {15360, 8640, 1920, 1}, // exactly 1920 at 1/8
        {1920, 1080, 1920, 8},                          // no larger than wanted: full size
        {800, 600, 1920, 8},
    };
    for (const auto& t : table) {
        EXPECT_EQ(jpegScaleEighths(t.width, t.height, t.side), t.eighths)
            << t.width << "x" << t.height;
    }
}

TEST(JpegScale, APhotoIsDecodedAtTheScaleNotAtFullSize) {
    const std::string photo = readFile(fixture("venue/camera-upright-gps.jpg"));
    auto decoded = decodeJpegScaled(photo, 1920);
    ASSERT_TRUE(decoded) << decoded.error();
    Surface pixels(decoded->pixels);
    EXPECT_EQ(decoded->fullWidth, 2400);
    EXPECT_EQ(decoded->fullHeight, 1600);
    EXPECT_EQ(pixels->w, 2100); // 7/8
    EXPECT_EQ(pixels->h, 1400);
    EXPECT_EQ(pixels->format->format, SDL_PIXELFORMAT_ARGB8888);
    // The same picture as SDL_image's full decode, scaled: the corners keep their colours.
    Surface full = decode(photo);
    ASSERT_NE(full, nullptr);
    const auto at = [&](int x, int y) {
        const Uint32 p = static_cast<const Uint32*>(pixels->pixels)[y * pixels->w + x];
        return Rgb{int((p >> 16) & 255), int((p >> 8) & 255), int(p & 255)};
    };
    for (const auto& [x, y] : {std::pair{20, 20}, {2080, 20}, {20, 1380}, {2080, 1380}}) {
        const Rgb scaled = at(x, y);
        const Rgb original = pixel(full.get(), x * 8 / 7, y * 8 / 7);
        EXPECT_NEAR(scaled.r, original.r, 24) << x << "," << y;
        EXPECT_NEAR(scaled.g, original.g, 24) << x << "," << y;
        EXPECT_NEAR(scaled.b, original.b, 24) << x << "," << y;
    }
}

TEST(JpegScale, ADamagedJpegIsAnErrorNotACrash) {
    std::string photo = readFile(fixture("venue/camera-upright-gps.jpg"));
    photo.resize(photo.find("\xff\xda")); // no scan at all
    auto decoded = decodeJpegScaled(photo, 1920);
    ASSERT_FALSE(decoded);
    EXPECT_NE(decoded.error().find("SOS"), std::string::npos) << decoded.error();
    EXPECT_FALSE(decodeJpegScaled("", 1920));
    EXPECT_FALSE(decodeJpegScaled("\xff\xd8\xff", 1920));
}

} // namespace
} // namespace kiosk::test
