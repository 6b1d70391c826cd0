// The only thread-local of the engine: the execution running on this thread.
// Null outside a run, where preemption points do nothing, so code under test
// also runs plainly (sequential tests, benchmarks).
#pragma once

namespace harness {

class Execution;

Execution* current_execution();

namespace detail {
/// Installs `execution` for the lifetime of the scope.
class CurrentExecutionScope {
 public:
  explicit CurrentExecutionScope(Execution* execution);
  ~CurrentExecutionScope();
  CurrentExecutionScope(const CurrentExecutionScope&) = delete;
  CurrentExecutionScope& operator=(const CurrentExecutionScope&) = delete;

 private:
  Execution* previous_;
};
}  // namespace detail

}  // namespace harness
