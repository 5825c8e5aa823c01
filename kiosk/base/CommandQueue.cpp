// See CommandQueue.h.
#include "kiosk/base/CommandQueue.h"

#include "kiosk/base/Log.h"

#include <exception>

namespace kiosk {

CommandQueue::CommandQueue() : thread_([this] { run(); }) {}

CommandQueue::~CommandQueue() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void CommandQueue::post(std::function<void()> command) {
    {
        std::lock_guard lock(mutex_);
        commands_.push_back(std::move(command));
    }
    wake_.notify_one();
}

void CommandQueue::run() {
    for (;;) {
        std::function<void()> command;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !commands_.empty(); });
            if (commands_.empty()) {
                return; // stopping, and everything queued has run
            }
            command = std::move(commands_.front());
            commands_.pop_front();
        }
        try {
            command();
        } catch (const std::exception& e) {
            // A failing command must not take the queue (and every later command) down.
            logError("control", std::string("command failed: ") + e.what());
        }
    }
}

} // namespace kiosk
