// What the render thread and the organiser's commands share while the wall runs, and nothing
// more: the config the wall draws with (replaced whole when the organiser changes it; a version
// tells the frame loop to pick it up) and what is on screen now and next (published by the
// frame loop for the control page's preview). Both directions are a pointer swap under a mutex.
#pragma once

#include "kiosk/config/Config.h"
#include "kiosk/model/Post.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace kiosk {

struct OnScreen {
    std::vector<Post> page;   // the cards on screen, first is the main one
    std::vector<Post> upNext; // what the schedule would show after them
    UnixTime at = 0;
};

class LiveWall {
public:
    // wake runs after every change from the control side, to end the frame loop's sleep.
    explicit LiveWall(std::shared_ptr<const Config> config, std::function<void()> wake = nullptr);

    // Control side: the wall draws with this config from its next frame; moderation changes
    // (panic, hides, blocks) also come through here, to make the frame loop filter again.
    void changed(std::shared_ptr<const Config> config);
    std::uint64_t version() const;
    std::shared_ptr<const Config> config() const;

    // Render side: what is showing, for the preview.
    void show(OnScreen screen);
    OnScreen onScreen() const;

private:
    mutable std::mutex mutex_;
    std::shared_ptr<const Config> config_; // guarded by mutex_
    std::uint64_t version_ = 0;            // guarded by mutex_
    OnScreen screen_;                      // guarded by mutex_
    std::function<void()> wake_;
};

} // namespace kiosk
