// The thread-local the hot path reads: the execution running on this thread
// (the other, the stop request of harness::interruption_point, is in explore.hpp).
// Null outside a run, where preemption points do nothing, so code under test
// also runs plainly (sequential tests, benchmarks).
#pragma once

#include <cstdint>

namespace harness {

class Execution;

namespace detail {
// constinit: no dynamic initialisation, so other files read it directly,
// without a call through a TLS wrapper (it is read at every point).
extern thread_local constinit Execution* tl_current_execution;
/// The generation (Execution::generation) of the run last started on this
/// thread: ObjectRef::id()'s fast path compares against it.
extern thread_local constinit std::uint64_t tl_current_generation;
}  // namespace detail

inline Execution* current_execution() { return detail::tl_current_execution; }

namespace detail {
/// Installs `execution` for the lifetime of the scope.
class CurrentExecutionScope {
 public:
  explicit CurrentExecutionScope(Execution* execution) : previous_(tl_current_execution) {
    tl_current_execution = execution;
  }
  ~CurrentExecutionScope() { tl_current_execution = previous_; }
  CurrentExecutionScope(const CurrentExecutionScope&) = delete;
  CurrentExecutionScope& operator=(const CurrentExecutionScope&) = delete;

 private:
  Execution* previous_;
};
}  // namespace detail

}  // namespace harness
