// See TestSupport.h.
#include "TestSupport.h"

#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kiosk::test {

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string fixture(const std::string& relative) {
    return std::string(KIOSK_FIXTURES) + "/" + relative;
}

std::string writeTempFile(const std::string& name, const std::string& content) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("kiosk-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << content;
    return path.string();
}

namespace {
std::string shellQuote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}
} // namespace

CommandResult runKiosk(const std::vector<std::string>& args) {
    static int counter = 0;
    const std::string tag = std::to_string(::getpid()) + "-" + std::to_string(counter++);
    const auto dir = std::filesystem::temp_directory_path();
    const std::string outPath = (dir / ("kiosk-out-" + tag)).string();
    const std::string errPath = (dir / ("kiosk-err-" + tag)).string();
    std::string command;
    if (!std::string(KIOSK_BIN_EMULATOR).empty()) {
        command.append(shellQuote(KIOSK_BIN_EMULATOR)).append(" ");
    }
    command.append(shellQuote(KIOSK_BIN));
    for (const auto& a : args) {
        command.append(" ").append(shellQuote(a));
    }
    command.append(" >").append(shellQuote(outPath));
    command.append(" 2>").append(shellQuote(errPath)).append(" </dev/null");
    const int status = std::system(command.c_str());
    CommandResult r;
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = readFile(outPath);
    r.err = readFile(errPath);
    std::filesystem::remove(outPath);
    std::filesystem::remove(errPath);
    return r;
}

std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            lines.push_back(line);
        }
    }
    return lines;
}

void FakeHttpClient::on(const std::string& prefix, Handler handler) {
    for (auto& [known, existing] : handlers_) {
        if (known == prefix) {
            existing = std::move(handler);
            return;
        }
    }
    handlers_.emplace_back(prefix, std::move(handler));
}

void FakeHttpClient::onJson(const std::string& prefix, int status, const std::string& body) {
    on(prefix, [status, body](const HttpRequest&) {
        HttpResponse r;
        r.status = status;
        r.body = body;
        r.headers["content-type"] = "application/json";
        return r;
    });
}

HttpResponse FakeHttpClient::send(const HttpRequest& request) {
    requests.push_back(request.url);
    for (const auto& [prefix, handler] : handlers_) {
        if (request.url.rfind(prefix, 0) == 0) {
            return handler(request);
        }
    }
    HttpResponse r;
    r.status = 404;
    r.body = R"({"error":"Record not found"})";
    return r;
}

int FixedMeasurer::width(std::string_view text, FontRole, int px) {
    int codePoints = 0;
    for (unsigned char c : text) {
        codePoints += (c & 0xC0) != 0x80;
    }
    return codePoints * px / 2;
}

int FixedMeasurer::lineHeight(FontRole, int px) {
    return px * 5 / 4;
}

Child::Child(const std::vector<std::string>& args, const std::vector<std::string>& env,
             const std::string& program) {
    errPath = writeTempFile(
        "child-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()) + ".err", "");
    pid = ::fork();
    if (pid == 0) {
        for (const auto& e : env) {
            ::putenv(const_cast<char*>(e.c_str()));
        }
        std::FILE* err = std::freopen(errPath.c_str(), "w", stderr);
        (void)err;
        std::vector<char*> argv;
        if (program.empty()) {
            // Under a cross build's emulator the emulator is the program, the binary its argument.
            if (!std::string(KIOSK_BIN_EMULATOR).empty()) {
                argv.push_back(const_cast<char*>(KIOSK_BIN_EMULATOR));
            }
            argv.push_back(const_cast<char*>(KIOSK_BIN));
        } else {
            argv.push_back(const_cast<char*>(program.c_str()));
        }
        for (const auto& a : args) {
            argv.push_back(const_cast<char*>(a.c_str()));
        }
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
}

int Child::stop(int signal) {
    if (pid <= 0) {
        return -1;
    }
    ::kill(pid, signal);
    int status = 0;
    for (int i = 0; i < 200 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (::waitpid(pid, &status, WNOHANG) == 0 && !WIFEXITED(status) && !WIFSIGNALED(status)) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        pid = -1;
        return -1;
    }
    pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

double Child::cpuSeconds() const {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string f;
    long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14) {
            utime = std::stol(f);
        } else if (i == 15) {
            stime = std::stol(f);
        }
    }
    return double(utime + stime) / double(::sysconf(_SC_CLK_TCK));
}

std::string Child::err() const {
    return readFile(errPath);
}

} // namespace kiosk::test
