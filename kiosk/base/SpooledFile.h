// A request body part kept on disk instead of in memory: an attendee's 18 MB photo costs the
// board a file, not RAM, while it arrives. The file is unlinked as soon as it is made, so it
// goes away when closed, also after a crash. Read back through a read-only mapping, whose pages
// are the page cache's and can be dropped under memory pressure.
#pragma once

#include "kiosk/base/Result.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace kiosk {

class SpooledFile {
public:
    // A new empty file in `dir` (made if missing); the error names the folder.
    static Result<std::shared_ptr<SpooledFile>> create(const std::string& dir);
    ~SpooledFile();
    SpooledFile(const SpooledFile&) = delete;
    SpooledFile& operator=(const SpooledFile&) = delete;

    // False when the disk refused (full, or gone): the part is then lost, not truncated.
    bool append(const char* data, std::size_t size);
    std::size_t size() const { return size_; }
    // The whole file, mapped on the first call; empty when the file is empty or unmappable.
    std::string_view bytes();

private:
    explicit SpooledFile(int fd) : fd_(fd) {}
    int fd_ = -1;
    std::size_t size_ = 0;
    void* map_ = nullptr;
    std::size_t mapped_ = 0;
};

} // namespace kiosk
