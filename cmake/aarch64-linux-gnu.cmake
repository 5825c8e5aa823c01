# Cross build for arm64 (Raspberry Pi OS 64-bit, Debian 12 arm64) on a Debian 12 amd64 machine
# with Debian's multiarch -dev packages (scripts/cross installs them). The libraries live in
# /usr/lib/aarch64-linux-gnu, so no sysroot is needed; test executables run under qemu-user.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(PKG_CONFIG_EXECUTABLE aarch64-linux-gnu-pkg-config CACHE FILEPATH "pkg-config for arm64")
# ctest and gtest_discover_tests run every test executable through it.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
