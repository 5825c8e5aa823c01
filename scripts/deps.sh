#!/usr/bin/env bash
# Installs the Debian packages the kiosk builds and tests with, only when some are missing.
# Sourced by scripts/run and scripts/test so a fresh clone needs nothing else.
KIOSK_TOOLS=(cmake make g++ pkg-config)
# The libraries, apart: scripts/cross installs the same list for arm64 (all Multi-Arch: same).
KIOSK_LIBRARIES=(
    libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
    libcurl4-openssl-dev nlohmann-json3-dev libsqlite3-dev libmicrohttpd-dev libcpp-httplib-dev
    libjpeg62-turbo-dev libicu-dev libgumbo-dev libpugixml-dev libqrencode-dev libsystemd-dev libmosquitto-dev
    libgtest-dev libgmock-dev libbenchmark-dev
)
KIOSK_FONTS=(fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji)
KIOSK_PACKAGES=("${KIOSK_TOOLS[@]}" "${KIOSK_LIBRARIES[@]}" "${KIOSK_FONTS[@]}")

# Installs those of the given Debian packages that are not installed yet (sudo when not root).
kiosk_install_packages() {
    local missing=() native
    native=$(dpkg --print-architecture)
    for p in "$@"; do
        # A name without ":arch" means this machine's own: once scripts/cross has installed the
        # arm64 build of a library, dpkg-query answers for that one too, and the native build
        # must not be taken as installed.
        local wanted="$native"
        [[ "$p" == *:* ]] && wanted=${p#*:}
        dpkg-query -W -f='${Status} ${Architecture}\n' "$p" 2>/dev/null |
            grep -Eq "ok installed ($wanted|all)\$" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "kiosk: installing missing packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

kiosk_install_deps() {
    kiosk_install_packages "${KIOSK_PACKAGES[@]}"
}

# What only the test suite needs: Debian's Chromium, its chromedriver and python3-selenium for
# the control page's end-to-end test. All three come from Debian (no npm, no Node.js), so
# Chromium and its driver always have the same version and Raspberry Pi OS has them too. And
# the Mosquitto broker, which the wall-group tests start on 127.0.0.1; wpasupplicant for its
# wpa_passphrase, which the boot-partition settings test hashes a Wi-Fi passphrase with.
KIOSK_TEST_PACKAGES=(chromium chromium-driver python3-selenium mosquitto wpasupplicant)

kiosk_install_test_tools() {
    kiosk_install_packages "${KIOSK_TEST_PACKAGES[@]}"
}
