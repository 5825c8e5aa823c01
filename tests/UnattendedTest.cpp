// The wall as systemd runs it, as a real process: READY is sent once the first frame is up and
// the watchdog is pinged from the frame loop while nothing on screen changes; without a display
// the wall says why, waits and tries again without spinning, and SIGTERM ends it cleanly.
#include "TestSupport.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace kiosk::test {
namespace {

std::string demoConfig() {
    // The offline demo, with its database in a temp folder and the control page off.
    std::string text = readFile(KIOSK_SOURCE_DIR "/config/kiosk.json");
    const std::string dir = KIOSK_SOURCE_DIR "/config/";
    std::string out = text;
    const auto replaceAll = [&out](const std::string& from, const std::string& to) {
        for (auto at = out.find(from); at != std::string::npos;
             at = out.find(from, at + to.size())) {
            out.replace(at, from.size(), to);
        }
    };
    replaceAll("\"../assets", "\"" + dir + "../assets");
    replaceAll("\"file:../assets", "\"file:" + dir + "../assets");
    out.replace(out.find("\"blocked-words.txt\""), 19, "\"" + dir + "blocked-words.txt\"");
    const std::string db = writeTempFile("unattended.db", "");
    std::filesystem::remove(db);
    out.replace(out.find("\"max_age_hours\""), 0, "\"path\": \"" + db + "\", ");
    out.replace(out.find("\"listen\""), 0, "\"enabled\": false, ");
    return writeTempFile("unattended.json", out);
}

TEST(Unattended, ReadyAfterTheFirstFrameAndWatchdogPingsWhileIdle) {
    const std::string sock =
        std::filesystem::temp_directory_path() / ("kiosk-notify-" + std::to_string(::getpid()));
    std::filesystem::remove(sock);
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", sock.c_str());
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{0, 200000};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);

    Child wall({"--config", demoConfig(), "--windowed", "640x360"},
               {"SDL_VIDEODRIVER=dummy", "NOTIFY_SOCKET=" + sock, "WATCHDOG_USEC=1000000"});
    std::vector<std::string> messages;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(6);
    while (std::chrono::steady_clock::now() < until) {
        char buf[512];
        const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
        if (n > 0) {
            messages.emplace_back(buf, std::size_t(n));
        }
    }
    EXPECT_EQ(wall.stop(), 0) << readFile(wall.errPath); // SIGTERM is a clean quit
    ::close(fd);
    std::filesystem::remove(sock);

    ASSERT_FALSE(messages.empty()) << readFile(wall.errPath);
    EXPECT_EQ(messages.front().rfind("READY=1", 0), 0u) << messages.front();
    int pings = 0;
    for (const auto& m : messages) {
        pings += m == "WATCHDOG=1";
    }
    // The demo's card stays longer than the test; the loop still pings every half interval.
    EXPECT_GE(pings, 6) << "pings in 6 s with a 1 s watchdog";
    const std::string log = readFile(wall.errPath);
    EXPECT_NE(log.find("first frame up after"), std::string::npos) << log;
    EXPECT_NE(log.find("I app: drew "), std::string::npos) << log;
    EXPECT_NE(log.find("I app: renderer software on dummy, checked"), std::string::npos) << log;
}

// The child's log once it holds `text`, or after 20 s (sanitizer builds start slowly).
std::string waitForLog(const Child& child, const std::string& text) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    std::string log = child.err();
    while (log.find(text) == std::string::npos && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        log = child.err();
    }
    return log;
}

// The organiser's SDL_RENDER_DRIVER goes first, and one that cannot draw here (the dummy
// driver has no OpenGL) is dropped for the next instead of leaving the wall without a picture.
TEST(Unattended, ARendererThatCannotDrawIsDroppedForTheNext) {
    Child wall({"--config", demoConfig(), "--windowed", "640x360"},
               {"SDL_VIDEODRIVER=dummy", "SDL_RENDER_DRIVER=opengl"});
    const std::string log = waitForLog(wall, "first frame up after");
    wall.stop();
    EXPECT_NE(log.find("W render: renderer opengl dropped: cannot start: "), std::string::npos)
        << log;
    EXPECT_NE(log.find("; trying "), std::string::npos) << log;
    EXPECT_NE(log.find("I app: renderer software on dummy, checked"), std::string::npos) << log;
    EXPECT_EQ(log.find("E app: no renderer draws"), std::string::npos) << log;
}

TEST(Unattended, WithoutADisplayItSaysWhyAndWaitsWithoutSpinning) {
    Child wall({"--config", demoConfig()}, {"SDL_VIDEODRIVER=no-such-display"});
    std::this_thread::sleep_for(std::chrono::seconds(4));
    const double cpu = wall.cpuSeconds();
    wall.stop();
    const std::string log = readFile(wall.errPath);
    EXPECT_NE(log.find("cannot open a display"), std::string::npos) << log;
    EXPECT_NE(log.find("no-such-display"), std::string::npos) << log; // SDL's reason
    EXPECT_NE(log.find("no display; trying again in 2 s"), std::string::npos) << log;
    EXPECT_NE(log.find("trying again in 4 s"), std::string::npos) << log; // and it did
    // The store was restored and the sources polled meanwhile; no busy loop. Sanitizer builds
    // start slower, so the bound is loose: a spinning process would use all 4 s.
    EXPECT_LT(cpu, 2.0);
}

} // namespace
} // namespace kiosk::test
