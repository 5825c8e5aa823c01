// One worker thread that runs commands in order. The control page's server threads never touch
// the store, the database or the moderator themselves: they hand a command to this queue and
// wait for its answer, so organiser changes are applied one at a time, in the order they came.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace kiosk {

class CommandQueue {
public:
    CommandQueue();
    ~CommandQueue(); // finishes the commands already queued, then stops
    CommandQueue(const CommandQueue&) = delete;
    CommandQueue& operator=(const CommandQueue&) = delete;

    void post(std::function<void()> command);

    // Runs command on the worker and returns its result, or nullopt when it took longer than
    // timeout (it still runs; only the caller stops waiting).
    template <class T>
    std::optional<T> call(std::function<T()> command, std::chrono::milliseconds timeout) {
        auto task = std::make_shared<std::packaged_task<T()>>(std::move(command));
        std::future<T> result = task->get_future();
        post([task] { (*task)(); });
        if (result.wait_for(timeout) != std::future_status::ready) {
            return std::nullopt;
        }
        return result.get();
    }

private:
    void run();

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> commands_; // guarded by mutex_
    bool stopping_ = false;                      // guarded by mutex_
    std::thread thread_;
};

} // namespace kiosk
