// See ConfigFile.h.
#include "kiosk/config/ConfigFile.h"
#include "kiosk/base/FileText.h"

#include "kiosk/base/Log.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk {
namespace {

Error systemError(const std::string& path, const std::string& what) {
    return Error{path + ": " + what + ": " + std::strerror(errno)};
}

// fsync on a file or folder by path; false with errno set when it fails.
bool syncPath(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    const bool ok = ::fsync(fd) == 0;
    ::close(fd);
    return ok;
}

} // namespace

Result<bool> replaceFileAtomically(const std::string& path, const std::string& text) {
    const std::string tmp = path + ".new";
    // Created readable by the owner only and given the replaced file's mode before it is
    // renamed: the file holds tokens, and the umask's 0644 would show them for a moment.
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        return systemError(tmp, "cannot write");
    }
    std::size_t written = 0;
    while (written < text.size()) {
        const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const Error e = systemError(tmp, "cannot write");
            ::close(fd);
            return e;
        }
        written += std::size_t(n);
    }
    struct stat old {};
    if (::stat(path.c_str(), &old) == 0) {
        ::fchmod(fd, old.st_mode & 07777);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    std::error_code ec;
    if (!synced) {
        return systemError(tmp, "cannot flush to disk");
    }
    if (std::filesystem::exists(path, ec)) {
        const std::string backup = path + ".bak";
        std::filesystem::remove(backup, ec);
        // A hard link keeps the previous file while `path` never stops existing.
        std::filesystem::create_hard_link(path, backup, ec);
        if (ec) {
            std::filesystem::copy_file(path, backup, ec);
        }
        if (ec) {
            logWarn("config", backup + ": cannot keep the previous config: " + ec.message());
        }
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        return systemError(path, "cannot replace");
    }
    const auto dir = std::filesystem::path(path).parent_path();
    syncPath(dir.empty() ? "." : dir.string(), O_RDONLY | O_DIRECTORY);
    return true;
}

Result<Config> rewriteConfigFile(const std::string& path, const ConfigPatch& patch) {
    const auto text = readTextFile(path);
    if (!text) {
        return Error{path + ": cannot open the config file"};
    }
    nlohmann::ordered_json doc;
    try {
        doc = nlohmann::ordered_json::parse(*text);
        patch(doc);
    } catch (const nlohmann::json::exception& e) {
        return Error{path + ": " + e.what()};
    } catch (const std::invalid_argument& e) {
        return Error{path + ": " + e.what()};
    }
    const std::string updated = doc.dump(2) + "\n";
    auto config = parseConfig(updated, path);
    if (!config) {
        return Error{config.error()}; // names the field; the file on disk is untouched
    }
    if (auto written = replaceFileAtomically(path, updated); !written) {
        return Error{written.error()};
    }
    logInfo("config", path + ": saved the organiser's change (previous file kept as .bak)");
    return config;
}

} // namespace kiosk
