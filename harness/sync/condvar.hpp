// sync.Cond / std::condition_variable for code under test.
//
// wait(mu) atomically joins the waiters and unlocks `mu` (one step, as Go's
// runtime_notifyListAdd happens before Unlock, so a notify after this step
// is never lost), then blocks until notified, then locks `mu` again before
// returning. notify_one() wakes one waiter, notify_all() every waiter; a
// notify with nobody waiting does nothing (it is not remembered: a wait that
// starts after it blocks, the classic lost wakeup, which an exploration then
// reports as a deadlock when nothing else notifies).
//
// Which waiter notify_one() wakes is a data choice ("cond.signal-which")
// when several wait, so every choice is explored, recorded and replayed: Go
// wakes the oldest waiter and C++ leaves it unspecified; exploring all of
// them covers both. Spurious wakeups (allowed by C++, not by Go) are off by
// default; CondVar::Options::spurious_wakeups makes each wait a data choice
// ("cond.spurious") between blocking and returning at once, so code that
// waits without a predicate loop fails under exploration.
//
// Waiters an execution left blocked are forgotten when the next one starts
// (a CondVar that outlives executions). REQUIRES: the caller holds `mu` when
// it calls wait(). Outside a goroutine (outside an execution, or in its setup
// or at_end code) no one could notify a waiter: wait() throws
// std::logic_error.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "harness/harness.hpp"
#include "harness/sync/mutex.hpp"

namespace harness {

class CondVar final : private Blocker {
 public:
  struct Options {
    /// C++'s spurious wakeups, explored as a data choice at every wait.
    bool spurious_wakeups = false;
  };

  explicit CondVar(std::string name = "cond") : CondVar(std::move(name), Options{}) {}
  CondVar(std::string name, Options options) : ref_("cond", std::move(name)), options_(options) {}
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  /// Go's Cond.Wait: unlocks `mu`, waits to be notified, locks `mu`.
  void wait(Mutex& mu);
  /// std::condition_variable::wait(lock) for a MutexLock guard.
  void wait(MutexLock& lock) { wait(lock.mutex()); }
  /// The predicate loop: waits until `ready()` holds (checked under `mu`).
  template <typename Predicate>
  void wait(Mutex& mu, Predicate ready) {
    while (!ready()) wait(mu);
  }
  template <typename Predicate>
  void wait(MutexLock& lock, Predicate ready) {
    wait(lock.mutex(), std::move(ready));
  }

  /// Go's Signal: wakes one waiter, if any (which one: a data choice).
  void notify_one();
  /// Go's Broadcast: wakes every waiter.
  void notify_all();

  ObjectId id() { return ref_.id(); }

 private:
  struct Waiter {
    std::uint64_t ticket = 0;  ///< unique per wait(), in order of arrival
    FiberId fiber{};
    bool notified = false;
  };

  bool enabled(FiberId fiber) const override;
  std::string describe_wait(FiberId fiber) const override;
  const Waiter* find(FiberId fiber) const;
  void forget(std::uint64_t ticket);
  void drop_earlier_executions();

  ObjectRef ref_;
  Options options_;
  std::vector<Waiter> waiters_;  ///< in order of arrival
  std::uint64_t next_ticket_ = 0;
  std::uint64_t generation_ = 0;  ///< the execution waiters_ belongs to
};

}  // namespace harness
