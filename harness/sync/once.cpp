#include "harness/sync/once.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "harness/sync/engine_view.hpp"

namespace harness {

void Once::call(const std::function<void()>& f) {
  point(Operation{"once.do", ref_.id(), AccessKind::kRmw, this});
  // A Once that outlives executions starts fresh in each (as ObjectRef).
  if (const std::uint64_t now = detail::execution_generation(); generation_ != now) {
    generation_ = now;
    state_ = State::kFresh;
  }
  if (state_ == State::kDone) {
    race_acquire(ref_.id());  // Go: f's return happens before any Do returns
    return;
  }
  if (state_ == State::kRunning) {
    // Only reachable outside an execution (f called back into call()).
    throw std::logic_error(fmt::format("Once '{}' called from its own function outside an execution", ref_.name()));
  }
  state_ = State::kRunning;
  try {
    f();
  } catch (...) {
    // Go's deferred `done.Store(1)`: a panicking f is done too. No point
    // here: the fiber may be unwinding because its execution is ending.
    state_ = State::kDone;
    throw;
  }
  point(Operation{"once.done", ref_.id(), AccessKind::kWrite, nullptr});
  race_release(ref_.id());
  state_ = State::kDone;
}

std::string Once::describe_wait(FiberId) const {
  return fmt::format("Do on once '{}' while its function runs", ref_.name());
}

}  // namespace harness
