// Decision fan-out in a wall group of many screens: N members (the real Group and MosquittoLink,
// in one process, each with its own MQTT connection) join a broker already running on
// 127.0.0.1; one screen after another makes a decision and the time until every other screen
// has applied it is recorded. Prints p50/p99/max latency, anything lost, and the broker's CPU
// time over the run when given its pid. scripts/bench-group starts Mosquitto and runs this.
//   kiosk_group_bench --port 1883 [--members 50] [--decisions 200] [--broker-pid PID]
#include "kiosk/base/Log.h"
#include "kiosk/group/Group.h"
#include "kiosk/group/MosquittoLink.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using namespace kiosk;
using Steady = std::chrono::steady_clock;

namespace {

double cpuSeconds(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    std::getline(in, stat);
    if (stat.empty()) {
        return 0;
    }
    std::istringstream fields(stat.substr(stat.rfind(')') + 2));
    std::string f;
    long ticks = 0;
    for (int i = 3; i <= 15 && fields >> f; ++i) {
        if (i == 14 || i == 15) {
            ticks += std::stol(f);
        }
    }
    return double(ticks) / double(::sysconf(_SC_CLK_TCK));
}

std::int64_t wallMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) {
        return 0;
    }
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

int main(int argc, char** argv) {
    int port = 1883, members = 50, decisions = 200, brokerPid = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (key == "--port") {
            port = value;
        } else if (key == "--members") {
            members = std::max(2, value);
        } else if (key == "--decisions") {
            decisions = std::max(1, value);
        } else if (key == "--broker-pid") {
            brokerPid = value;
        }
    }
    setLogLevel(LogLevel::Warn);
    std::mutex mutex;
    std::map<std::string, Steady::time_point> sent;        // guarded by mutex
    std::map<std::string, std::vector<double>> arrivalsMs; // guarded by mutex
    std::vector<std::unique_ptr<MosquittoLink>> links;
    std::vector<std::unique_ptr<Group>> groups;
    const std::string name = "bench" + std::to_string(::getpid());
    for (int m = 0; m < members; ++m) {
        GroupConfig config;
        config.enabled = true;
        config.broker = "mqtt://127.0.0.1:" + std::to_string(port);
        config.host = "127.0.0.1";
        config.port = port;
        config.name = name;
        config.screen = "screen" + std::to_string(m);
        links.push_back(std::make_unique<MosquittoLink>(config));
        Group::Hooks hooks;
        hooks.apply = [&](const SharedChange& change) {
            const auto now = Steady::now();
            std::lock_guard lock(mutex);
            auto it = sent.find(change.key);
            if (it != sent.end()) {
                arrivalsMs[change.key].push_back(
                    std::chrono::duration<double, std::milli>(now - it->second).count());
            }
        };
        groups.push_back(
            std::make_unique<Group>(config, *links.back(), nullptr, wallMs, std::move(hooks)));
    }
    const auto joinStart = Steady::now();
    const double brokerBefore = brokerPid ? cpuSeconds(brokerPid) : 0;
    for (auto& g : groups) {
        g->start({"mastodon #Camp @ social.example"});
    }
    bool joined = false;
    for (int i = 0; i < 600 && !joined; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        joined = std::all_of(groups.begin(), groups.end(), [&](const auto& g) {
            return int(g->onlineScreens().size()) == members;
        });
    }
    const double joinSeconds = std::chrono::duration<double>(Steady::now() - joinStart).count();
    if (!joined) {
        std::fprintf(stderr, "group bench: not every screen saw the others within 30 s\n");
        return 1;
    }
    const double brokerJoined = brokerPid ? cpuSeconds(brokerPid) : 0;
    const auto runStart = Steady::now();
    for (int d = 0; d < decisions; ++d) {
        const std::string key = "post/bench:" + std::to_string(d);
        {
            std::lock_guard lock(mutex);
            sent[key] = Steady::now();
        }
        groups[std::size_t(d % members)]->share(
            {key, {{"verdict", d % 2 ? "show" : "hide"}}, 0, ""});
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::size_t expected = std::size_t(decisions) * std::size_t(members - 1);
    std::size_t got = 0;
    for (int i = 0; i < 500; ++i) {
        {
            std::lock_guard lock(mutex);
            got = 0;
            for (const auto& [key, times] : arrivalsMs) {
                got += times.size();
            }
        }
        if (got >= expected) {
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const double runSeconds = std::chrono::duration<double>(Steady::now() - runStart).count();
    const double brokerAfter = brokerPid ? cpuSeconds(brokerPid) : 0;
    std::vector<double> all, slowest;
    {
        std::lock_guard lock(mutex);
        for (const auto& [key, times] : arrivalsMs) {
            all.insert(all.end(), times.begin(), times.end());
            slowest.push_back(*std::max_element(times.begin(), times.end()));
        }
    }
    std::printf("wall group, %d screens on one Mosquitto broker (127.0.0.1), %d decisions, one "
                "every 20 ms from a different screen each time:\n",
                members, decisions);
    std::printf("  joined: every screen saw every other after %.2f s\n", joinSeconds);
    std::printf("  applied on another screen: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
                percentile(all, 0.5), percentile(all, 0.99), percentile(all, 1.0));
    std::printf("  until the last screen had it: p50 %.1f ms, p99 %.1f ms\n",
                percentile(slowest, 0.5), percentile(slowest, 0.99));
    std::printf("  deliveries: %zu of %zu (%zu lost)\n", got, expected,
                expected > got ? expected - got : 0);
    if (brokerPid) {
        std::printf("  broker CPU: %.2f s while %d screens joined, %.2f s for the decisions "
                    "(%.1f %% of a core over %.1f s)\n",
                    brokerJoined - brokerBefore, members, brokerAfter - brokerJoined,
                    100.0 * (brokerAfter - brokerJoined) / runSeconds, runSeconds);
    }
    for (auto& g : groups) {
        g->stop();
    }
    return got >= expected ? 0 : 1;
}
