#include "harness/alarm.hpp"

namespace harness {

Alarm::Alarm(std::chrono::milliseconds after, std::function<void()> ring) {
  if (after.count() <= 0) return;
  const auto deadline = std::chrono::steady_clock::now() + after;  // from now, not from the thread's start
  watcher_ = std::thread([this, deadline, ring = std::move(ring)] {
    std::unique_lock lock(mutex_);
    if (!done_changed_.wait_until(lock, deadline, [this] { return done_; })) ring();
  });
}

Alarm::~Alarm() {
  if (!watcher_.joinable()) return;
  {
    const std::lock_guard lock(mutex_);
    done_ = true;
  }
  done_changed_.notify_all();
  watcher_.join();
}

}  // namespace harness
