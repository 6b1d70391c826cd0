// One simulated goroutine: its context, its state and the operation it has
// announced. Owned by an Execution; reused from one execution to the next.
#pragma once

#include <functional>
#include <string>

#include <boost/context/fiber.hpp>

#include "harness/fiber/sanitizer.hpp"
#include "harness/ids.hpp"
#include "harness/operation.hpp"

namespace harness {

class Execution;

/// Enabled once its fiber has finished: what a join waits on.
class JoinGate final : public Blocker {
 public:
  bool enabled(FiberId) const override { return target_finished; }
  std::string describe_wait(FiberId) const override;

  bool target_finished = false;
  std::string target_name;
};

struct Fiber {
  FiberId id{};
  std::string name;
  std::function<void()> body;
  /// Suspended context while the fiber is not running; empty while it runs
  /// and once it has finished.
  boost::context::fiber context;
  /// The usable part of its pooled stack (fiber switches name it to ASan).
  sanitizer::StackBounds stack;
  bool finished = false;
  /// A new fiber runs eagerly up to its first preemption point and then
  /// returns to its spawner: code before the first point is invisible.
  bool starting = false;
  Fiber* spawner = nullptr;  ///< null: the host (setup)
  std::uint64_t spawned_at = 0;  ///< steps taken when it was spawned
  JoinGate join_gate;
  /// Teardown unwound it with FiberAbandoned (harness/fiber/abandoned.hpp),
  /// caught where the engine started it: its end is not a finish.
  bool abandoned = false;
};

}  // namespace harness
