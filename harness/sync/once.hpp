// sync.Once / std::call_once for code under test.
//
// call(f) runs `f` in the first caller only; every other caller blocks
// until that first call has returned, then returns without calling `f`, so
// no caller sees `f` half done. As in Go, a panic (exception) out of `f`
// still counts as done: later calls do not retry it (std::call_once would).
// Calling call() from inside `f` on the same Once deadlocks, as in Go. A
// Once that outlives executions (a global) starts fresh in each.
// Steps: "once.do" (kRmw; blocked while another fiber runs `f`) and
// "once.done" (kWrite, after `f` returned).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "harness/harness.hpp"

namespace harness {

class Once final : private Blocker {
 public:
  explicit Once(std::string name = "once") : ref_("once", std::move(name)) {}
  Once(const Once&) = delete;
  Once& operator=(const Once&) = delete;

  /// Go's Do.
  void call(const std::function<void()>& f);
  /// True once `f` has returned (no preemption point: for end checks).
  bool peek_done() const { return state_ == State::kDone; }

  ObjectId id() { return ref_.id(); }

 private:
  enum class State { kFresh, kRunning, kDone };
  bool enabled(FiberId) const override { return state_ != State::kRunning; }
  std::string describe_wait(FiberId) const override;

  ObjectRef ref_;
  State state_ = State::kFresh;
  std::uint64_t generation_ = 0;  ///< the execution state_ belongs to
};

}  // namespace harness
