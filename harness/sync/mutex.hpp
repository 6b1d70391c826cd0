// sync.Mutex for code under test. lock() and unlock() are preemption points;
// a fiber whose lock() would block is not runnable until the mutex is free.
// As in Go, the mutex is not reentrant (locking it twice deadlocks) and
// unlocking an unlocked mutex is a fatal error.
#pragma once

#include <optional>
#include <string>

#include "harness/harness.hpp"

namespace harness {

class Mutex final : private Blocker, private StateSource {
 public:
  explicit Mutex(std::string name = "mutex") : ref_("mutex", std::move(name), this) {}
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void lock();
  void unlock();
  /// Go's TryLock: takes the mutex if it is free; never blocks.
  bool try_lock();

  ObjectId id() { return ref_.id(); }

 private:
  bool enabled(FiberId) const override { return !locked_; }
  std::string describe_wait(FiberId) const override;
  void hash_state(StateHasher& hasher) const override {
    hasher.add(locked_ ? 1 : 0);
    hasher.add(holder_ ? index(*holder_) + 1 : 0);  // deadlock reports name the holder
  }
  void take();

  ObjectRef ref_;
  bool locked_ = false;
  std::optional<FiberId> holder_;  ///< for deadlock reports only
};

/// RAII guard, as std::lock_guard.
class MutexLock {
 public:
  explicit MutexLock(Mutex& mutex) : mutex_(mutex) { mutex_.lock(); }
  // noexcept(false): unlock() is a preemption point, and an execution that
  // ends while this fiber waits there (a dpor-pruned schedule) unwinds the
  // fiber from inside this destructor, which must let that unwind through.
  ~MutexLock() noexcept(false) { mutex_.unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;
  /// The guarded mutex (CondVar::wait unlocks and relocks it).
  Mutex& mutex() const { return mutex_; }

 private:
  Mutex& mutex_;
};

}  // namespace harness
