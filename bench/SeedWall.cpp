// Makes a wall to measure: a database with N stored posts (a realistic mix of lengths, scripts
// and emoji, A avatars shared among their authors, already in the media cache as PNGs) and a
// config that shows them from the store with no network. Used by scripts/bench-wall.
// Usage: kiosk_seed DIR [--posts 1000] [--avatars 200] [--card-seconds S] [--admin-port P]
#include "kiosk/model/Post.h"
#include "kiosk/store/Database.h"

#include <SDL.h>
#include <SDL_image.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using namespace kiosk;

const char* kTexts[] = {
    "Sunrise swim at the harbour: freezing and perfect 🌊 See you at the lightning talks!",
    "Merci à toutes les bénévoles pour ce week-end incroyable. On revient l'année prochaine !",
    "Danke für den Kaffee am Steg ☕ Der Workshop zu Community-Radio war großartig.",
    "مرحبا بكم في المخيم، الجلسة التالية في الخيمة الكبيرة بعد الغداء",
    "港の朝はとても静かでした。次のセッションは十時から始まります。",
    "다음 세션은 열 시에 시작합니다 👩🏽‍💻 자리가 얼마 남지 "
    "않았어요!",
    "Lightning talks at 16:00, sign up at the info desk — bring your own slides and a story "
    "about the weirdest bug you ever fixed 🐛🔧 The best one wins a jar of harbour honey.",
    "Is the coffee in tent B really gone already? Asking for a friend 😅",
    "שלום לכולם, נתראה בערב ליד המדורה 🔥",
    "Obrigada pela tarde incrível, até amanhã! A oficina de rádio comunitária foi demais.",
};

bool writeAvatar(const std::string& path, int index) {
    SDL_Surface* s = SDL_CreateRGBSurfaceWithFormat(0, 256, 256, 32, SDL_PIXELFORMAT_RGBA32);
    if (!s) {
        return false;
    }
    // A different picture per author, with detail, so PNGs are not trivially small.
    auto* px = static_cast<Uint32*>(s->pixels);
    for (int y = 0; y < 256; ++y) {
        for (int x = 0; x < 256; ++x) {
            const Uint8 r = Uint8((x * 3 + index * 37) & 0xFF);
            const Uint8 g = Uint8((y * 5 + index * 11) & 0xFF);
            const Uint8 b = Uint8(((x ^ y) + index * 53) & 0xFF);
            px[y * (s->pitch / 4) + x] = SDL_MapRGBA(s->format, r, g, b, 255);
        }
    }
    const bool ok = IMG_SavePNG(s, path.c_str()) == 0;
    SDL_FreeSurface(s);
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: kiosk_seed DIR [--posts N] [--avatars N] [--card-seconds S] "
                     "[--admin-port P]\n";
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    int posts = 1000, avatars = 200, cardSeconds = 0, adminPort = 0;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        const int value = std::stoi(argv[i + 1]);
        if (flag == "--posts") {
            posts = value;
        } else if (flag == "--avatars") {
            avatars = value;
        } else if (flag == "--card-seconds") {
            cardSeconds = value;
        } else if (flag == "--admin-port") {
            adminPort = value;
        }
    }
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir / "media");
    for (int a = 0; a < avatars; ++a) {
        const std::string url = "https://quay.example/avatars/" + std::to_string(a) + ".png";
        if (!writeAvatar((dir / "media" / (contentId(url) + ".png")).string(), a)) {
            std::cerr << "kiosk_seed: cannot write avatar " << a << ": " << SDL_GetError() << "\n";
            return 1;
        }
    }
    auto db = Database::open((dir / "wall.db").string());
    if (!db) {
        std::cerr << "kiosk_seed: " << db.error() << "\n";
        return 1;
    }
    const UnixTime now = std::time(nullptr);
    std::vector<StoredPost> stored;
    for (int i = 0; i < posts; ++i) {
        Post p;
        const int author = i % std::max(1, avatars);
        p.id = "mastodon:quay.example:" + std::to_string(114500000000000000ll + i);
        p.source = i % 5 == 4 ? "wordpress" : "mastodon";
        p.url = "https://quay.example/@user" + std::to_string(author) + "/" + std::to_string(i);
        p.createdAt = now - UnixTime(i) * 60;
        p.author.name = "Attendee " + std::to_string(author);
        p.author.handle = "@user" + std::to_string(author) + "@quay.example";
        p.author.avatar = "https://quay.example/avatars/" + std::to_string(author) + ".png";
        p.text = std::string(kTexts[i % std::size(kTexts)]) + " #HarbourCamp";
        p.hashtags = {"HarbourCamp"};
        p.lang = "en";
        stored.push_back({std::move(p), Verdict::Show, {}});
    }
    db.value()->savePosts(stored, now);
    nlohmann::ordered_json config = {
        {"event",
         {{"name", "Harbour Camp"},
          {"hashtags", {"HarbourCamp"}},
          {"url", "https://quay.example/wall"}}},
        {"display", {{"max_posts", posts}}},
        {"network", {{"download_media", false}, {"media_cache_dir", (dir / "media").string()}}},
        {"storage", {{"path", (dir / "wall.db").string()}, {"max_posts", posts}}},
        {"admin", {{"enabled", adminPort > 0}, {"port", std::max(1, adminPort)}}},
        {"sources", nlohmann::ordered_json::array()},
    };
    if (cardSeconds > 0) {
        config["display"]["card_seconds"] = cardSeconds;
        config["display"]["clock"] = false; // nothing on screen changes by itself
    }
    std::ofstream(dir / "kiosk.json") << config.dump(2) << "\n";
    std::cout << dir.string() << "/kiosk.json: " << posts << " posts, " << avatars << " avatars\n";
    return 0;
}
