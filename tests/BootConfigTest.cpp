// What the organiser writes on the boot partition, as packaging/boot-config applies it at boot,
// run on folders standing in for the boot partition, /etc and /var/lib/kiosk: a token of the
// board's own at first boot; kiosk.json checked by the real `kiosk check`, a broken one leaving
// the last good config and its error for the wall; the settings file's Wi-Fi, name and time
// zone, with every bad line named; a new setup link on request.
#include "TestSupport.h"

#include "kiosk/base/FileText.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <unistd.h>

namespace kiosk::test {
namespace {

namespace fs = std::filesystem;

class BootConfig : public ::testing::Test {
protected:
    void SetUp() override {
        top = fs::temp_directory_path() / ("kiosk-boot-" + std::to_string(::getpid()));
        fs::remove_all(top);
        for (const char* dir :
             {"boot", "state", "root/etc/kiosk", "root/usr/share/zoneinfo/Europe"}) {
            fs::create_directories(top / dir);
        }
        write("root/usr/share/zoneinfo/Europe/Berlin", "TZif2 stand-in");
        write("root/etc/kiosk/kiosk.json", kGood);
        write("root/etc/hostname", "kiosk\n");
    }
    void TearDown() override { fs::remove_all(top); }

    void write(const std::string& path, const std::string& text) {
        std::ofstream(top / path, std::ios::binary) << text;
    }
    std::string read(const std::string& path) { return readTextFile(top / path).value_or(""); }

    // One boot: the script's output, and its exit status in `status`.
    std::string boot() {
        const fs::path out = top / "out.txt";
        const std::string command =
            "KIOSK_BOOT_DIR=" + (top / "boot").string() +
            " KIOSK_STATE_DIR=" + (top / "state").string() +
            " KIOSK_ETC_DIR=" + (top / "root/etc/kiosk").string() +
            " KIOSK_ROOT=" + (top / "root").string() + " KIOSK_BIN=" KIOSK_BIN " sh " +
            KIOSK_SOURCE_DIR "/packaging/boot-config >" + out.string() + " 2>&1";
        status = std::system(command.c_str());
        return readTextFile(out).value_or("");
    }

    static constexpr const char* kGood =
        R"({"event": {"name": "Harbour Camp", "hashtags": ["HarbourCamp"]}, "sources": []})";
    fs::path top;
    int status = -1;
};

TEST_F(BootConfig, FirstBootMakesTheBoardsOwnTokenAndAppliesTheConfig) {
    const std::string mine =
        R"({"event": {"name": "Lakeside Jam", "hashtags": ["LakeJam"]}, "sources": []})";
    write("boot/kiosk.json", mine);
    const std::string out = boot();
    EXPECT_EQ(status, 0) << out;
    EXPECT_TRUE(std::regex_match(read("root/etc/kiosk/kiosk.env"),
                                 std::regex("KIOSK_ADMIN_TOKEN=[0-9a-f]{48}\n")));
    EXPECT_EQ(read("root/etc/kiosk/kiosk.json"), mine);
    EXPECT_FALSE(fs::exists(top / "state/boot-config-error"));
    EXPECT_NE(out.find("applied"), std::string::npos) << out;
    // The next boot keeps the token and does not apply the same file again (the control page
    // may have changed the config since).
    const std::string token = read("root/etc/kiosk/kiosk.env");
    write("root/etc/kiosk/kiosk.json", kGood);
    const std::string second = boot();
    EXPECT_EQ(read("root/etc/kiosk/kiosk.env"), token);
    EXPECT_EQ(read("root/etc/kiosk/kiosk.json"), kGood);
    EXPECT_EQ(second.find("applied"), std::string::npos) << second;
}

TEST_F(BootConfig, ABrokenConfigLeavesTheLastGoodOneAndItsErrorForTheWall) {
    write("boot/kiosk.json", "{\n  \"event\": {\"name\": \"Lakeside Jam\"\n  \"sources\": []\n}\n");
    const std::string out = boot();
    EXPECT_EQ(status, 0) << "nothing here stops the boot";
    EXPECT_EQ(read("root/etc/kiosk/kiosk.json"), kGood);
    const std::string error = read("state/boot-config-error");
    EXPECT_NE(error.find((top / "boot/kiosk.json").string() + ":3:"), std::string::npos) << error;
    EXPECT_NE(out.find("has an error; the last good config stays"), std::string::npos) << out;
    // Fixed on the laptop: applied, and the wall's notice goes.
    write("boot/kiosk.json", kGood);
    boot();
    EXPECT_FALSE(fs::exists(top / "state/boot-config-error"));
}

TEST_F(BootConfig, TheSettingsFileSetsWifiNameAndZoneAndNamesEveryBadLine) {
    // Written on another system: CR LF line ends, no end to the last line.
    write("boot/kiosk-setup.txt", "# the venue\r\nwifi_name=Camp WiFi\r\n"
                                  "wifi_password=correct horse battery\r\nwifi_country=DE\r\n"
                                  "hostname=wall-hall-a\r\ntimezone=Europe/Berlin\r\n"
                                  "hostname=Bad_Name!\r\ntimezone=../../etc/passwd\r\n"
                                  "volume=11\r\njust words");
    const std::string out = boot();
    EXPECT_EQ(read("root/etc/hostname"), "wall-hall-a\n");
    EXPECT_EQ(read("root/etc/timezone"), "Europe/Berlin\n");
    EXPECT_EQ(fs::read_symlink(top / "root/etc/localtime"), "/usr/share/zoneinfo/Europe/Berlin");
    const std::string wifi = read("root/etc/wpa_supplicant/wpa_supplicant-wlan0.conf");
    EXPECT_NE(wifi.find("country=DE"), std::string::npos) << wifi;
    EXPECT_NE(wifi.find("ssid=43616d702057694669"), std::string::npos) << wifi; // "Camp WiFi"
    EXPECT_TRUE(std::regex_search(wifi, std::regex("\tpsk=[0-9a-f]{64}\n"))) << wifi;
    EXPECT_EQ(wifi.find("correct horse"), std::string::npos) << "only the hash is kept";
    EXPECT_EQ(fs::status(top / "root/etc/wpa_supplicant/wpa_supplicant-wlan0.conf").permissions() &
                  fs::perms::others_read,
              fs::perms::none);
    const std::string setup = (top / "boot/kiosk-setup.txt").string();
    for (const std::string& line :
         {setup + ":7: hostname", setup + ":8: timezone", setup + ":9: unknown setting \"volume\"",
          setup + ":10: expected name=value"}) {
        EXPECT_NE(out.find(line), std::string::npos) << line << " in:\n" << out;
    }
}

TEST_F(BootConfig, AFileOnTheBootPartitionBringsANewSetupLink) {
    write("state/organiser-logged-in", "yes\n");
    write("boot/kiosk-new-setup-link", "");
    const std::string out = boot();
    EXPECT_FALSE(fs::exists(top / "state/organiser-logged-in"));
    EXPECT_FALSE(fs::exists(top / "boot/kiosk-new-setup-link")) << "once, not at every boot";
    EXPECT_NE(out.find("new one-time setup link"), std::string::npos) << out;
}

} // namespace
} // namespace kiosk::test
