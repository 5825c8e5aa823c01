// Shared helpers for the test executables: fixture paths, running the kiosk binary, a fake
// HttpClient that records requests, and a fixed-width TextMeasurer for layout tests.
#pragma once

#include "kiosk/net/HttpClient.h"
#include "kiosk/text/TextMeasurer.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace kiosk::test {

std::string readFile(const std::string& path);
std::string fixture(const std::string& relative); // path under tests/fixtures
std::string writeTempFile(const std::string& name, const std::string& content); // returns path

struct CommandResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};
CommandResult runKiosk(const std::vector<std::string>& args);

std::vector<std::string> splitLines(const std::string& text);

// A child process, the kiosk binary unless `program` is given, with extra environment ("K=V")
// and its stderr in a file.
struct Child {
    int pid = -1;
    std::string errPath;

    Child(const std::vector<std::string>& args, const std::vector<std::string>& env,
          const std::string& program = "");
    // Exit status after the signal (128 + signal when killed by it); -1 when it had to be
    // killed after 10 s.
    int stop(int signal = 15);
    double cpuSeconds() const;
    std::string err() const;
};

class FakeHttpClient final : public HttpClient {
public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;
    // Requests whose URL starts with prefix are answered by handler (the first prefix given
    // that matches; giving a prefix again replaces its handler); others get a 404.
    void on(const std::string& prefix, Handler handler);
    void onJson(const std::string& prefix, int status, const std::string& body);
    HttpResponse send(const HttpRequest& request) override;
    std::vector<std::string> requests; // URLs in the order they were asked for

private:
    std::vector<std::pair<std::string, Handler>> handlers_;
};

// Every code point is px/2 wide; lines are px*5/4 high. Deterministic and font-free.
class FixedMeasurer final : public TextMeasurer {
public:
    int width(std::string_view text, FontRole role, int px) override;
    int lineHeight(FontRole role, int px) override;
};

} // namespace kiosk::test
