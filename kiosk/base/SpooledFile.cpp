// See SpooledFile.h.
#include "kiosk/base/SpooledFile.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/mman.h>
#include <unistd.h>

namespace kiosk {

Result<std::shared_ptr<SpooledFile>> SpooledFile::create(const std::string& dir) {
    std::error_code error;
    std::filesystem::create_directories(dir, error);
    std::string path = dir + "/upload-XXXXXX";
    const int fd = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) {
        return Error{"cannot make a file for an upload in " + dir + ": " + std::strerror(errno)};
    }
    ::unlink(path.c_str());
    return std::shared_ptr<SpooledFile>(new SpooledFile(fd));
}

SpooledFile::~SpooledFile() {
    if (map_) {
        ::munmap(map_, mapped_);
    }
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

bool SpooledFile::append(const char* data, std::size_t size) {
    if (map_) {
        return false; // read back already: the mapping would not see more
    }
    while (size > 0) {
        const ssize_t n = ::write(fd_, data, size);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        data += n;
        size -= std::size_t(n);
        size_ += std::size_t(n);
    }
    return true;
}

std::string_view SpooledFile::bytes() {
    if (!map_ && size_ > 0) {
        void* map = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
        if (map == MAP_FAILED) {
            return {};
        }
        map_ = map;
        mapped_ = size_;
    }
    return map_ ? std::string_view(static_cast<const char*>(map_), mapped_) : std::string_view();
}

} // namespace kiosk
