#!/usr/bin/env bash
# Installs the Debian packages the kiosk builds and tests with, only when some are missing.
# Sourced by scripts/run and scripts/test so a fresh clone needs nothing else.
KIOSK_PACKAGES=(
    cmake g++ pkg-config
    libsdl2-dev libsdl2-ttf-dev libsdl2-image-dev
    libcurl4-openssl-dev nlohmann-json3-dev libsqlite3-dev libcpp-httplib-dev
    libicu-dev libgumbo-dev libpugixml-dev libqrencode-dev libsystemd-dev
    libgtest-dev libgmock-dev libbenchmark-dev
    fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji
)

kiosk_install_deps() {
    local missing=()
    for p in "${KIOSK_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "kiosk: installing missing packages: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# What only the test suite needs: Chromium and Node.js for the control page's end-to-end test,
# and playwright-core (pinned in tests/e2e/package-lock.json) to drive it.
kiosk_install_test_tools() {
    local missing=()
    dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "ok installed" || missing+=(chromium)
    command -v node >/dev/null || missing+=(nodejs)
    command -v npm >/dev/null || missing+=(npm)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "kiosk: installing test tools: ${missing[*]}" >&2
        local sudo=""
        [ "$(id -u)" -ne 0 ] && sudo="sudo"
        $sudo apt-get update -q
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends \
            "${missing[@]}"
    fi
    if [ ! -d tests/e2e/node_modules/playwright-core ]; then
        (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
    fi
}
