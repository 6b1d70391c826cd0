// A one-shot timer for stopping an exploration from outside it (a time
// budget): calls `ring` on a thread of its own once `after` has passed,
// unless it is destroyed first (the destructor waits for that thread). Wall
// time is read here only: nothing a run records depends on it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace harness {

class Alarm {
 public:
  /// A zero or negative `after` never rings.
  Alarm(std::chrono::milliseconds after, std::function<void()> ring);
  ~Alarm();
  Alarm(const Alarm&) = delete;
  Alarm& operator=(const Alarm&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable done_changed_;
  bool done_ = false;
  std::thread watcher_;
};

}  // namespace harness
