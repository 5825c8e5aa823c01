// Raw TCP clients for attacking the page's listener the way a hostile client would: from a
// chosen loopback source address (127.0.0.2 and up are strangers), with bytes sent as they are.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace kiosk::test {

// A TCP connection to 127.0.0.1:port from the given loopback source address; -1 when refused.
inline int connectFrom(const char* source, int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(std::uint16_t(port));
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// Whether the server has closed this connection (read gives 0 or an error) within `wait`.
inline bool closedByServer(int fd, std::chrono::milliseconds wait) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, int(wait.count())) <= 0) {
        return false;
    }
    char buffer[4096];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    return n <= 0 || std::string(buffer, std::size_t(n)).find("HTTP/1.1 4") == 0;
}

inline bool sendText(int fd, const std::string& text) {
    return ::send(fd, text.data(), text.size(), MSG_NOSIGNAL) == ssize_t(text.size());
}

// What the server sends on fd until it closes the connection or is quiet for 5 s.
inline std::string readAnswer(int fd) {
    std::string answer;
    char buffer[4096];
    pollfd p{fd, POLLIN, 0};
    while (::poll(&p, 1, 5000) > 0) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            break;
        }
        answer.append(buffer, std::size_t(n));
    }
    return answer;
}

// One whole request from `source`; the answer as the server sent it until it closed (at most
// 5 s of waiting for each piece).
inline std::string exchange(const char* source, int port, const std::string& request) {
    const int fd = connectFrom(source, port);
    std::string answer;
    if (fd < 0 || !sendText(fd, request)) {
        return answer;
    }
    answer = readAnswer(fd);
    ::close(fd);
    return answer;
}

} // namespace kiosk::test
