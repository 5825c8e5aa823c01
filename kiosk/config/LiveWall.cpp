// See LiveWall.h.
#include "kiosk/config/LiveWall.h"

namespace kiosk {

LiveWall::LiveWall(std::shared_ptr<const Config> config, std::function<void()> wake)
    : config_(std::move(config)), wake_(std::move(wake)) {}

void LiveWall::changed(std::shared_ptr<const Config> config) {
    {
        std::lock_guard lock(mutex_);
        if (config) {
            config_ = std::move(config);
        }
        ++version_;
    }
    if (wake_) {
        wake_();
    }
}

std::uint64_t LiveWall::version() const {
    std::lock_guard lock(mutex_);
    return version_;
}

std::shared_ptr<const Config> LiveWall::config() const {
    std::lock_guard lock(mutex_);
    return config_;
}

void LiveWall::show(OnScreen screen) {
    std::lock_guard lock(mutex_);
    screen_ = std::move(screen);
}

OnScreen LiveWall::onScreen() const {
    std::lock_guard lock(mutex_);
    return screen_;
}

} // namespace kiosk
