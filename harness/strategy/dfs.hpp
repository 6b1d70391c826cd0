// Exhaustive depth-first enumeration of schedules and data choices, with
// optional preemption bounding (Musuvathi & Qadeer, "Iterative context
// bounding for systematic testing of multithreaded programs", PLDI 2007).
//
// Stateless search (as CHESS and loom): every execution is a fresh run from
// the start; the path of choices made so far is kept, and the next execution
// replays its prefix and takes the next untried alternative at the deepest
// branch that has one.
//
// Alternatives at a scheduling choice are tried in a fixed order: the fiber
// that was running first (no preemption), then the others by ascending id.
// A preemption is a switch away from a fiber that could have continued; with
// a bound P, once P preemptions are spent, only the running fiber is allowed.
// Switching after a fiber finishes or blocks is free.
//
// A ChoiceTree: ShardedStrategy divides the tree among parts by its first
// branches.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/strategy/choice_path.hpp"
#include "harness/strategy/divisible.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

struct DfsSettings {
  std::optional<std::uint32_t> preemption_bound;   ///< none: unbounded
  /// Cap on the executions run to their end: runs cut short (outcome
  /// kPruned: another part's, or interrupted) do not count. exhausted()
  /// tells if the space was covered.
  std::uint64_t max_executions = UINT64_MAX;
};

class DfsStrategy final : public Strategy, public ChoiceTree {
 public:
  explicit DfsStrategy(DfsSettings settings = {}) : settings_(settings) {}

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome& outcome) override;
  Position position() const override { return Position{exhausted(), order_key(), std::nullopt}; }
  Provenance provenance() const override;
  StepObserver* step_observer() override { return nullptr; }
  BranchTaken last_branch() const override { return path_.last_branch(); }
  bool exhausted() const { return path_.exhausted(); }
  /// The alternatives taken at the branches of the execution just run.
  std::vector<std::uint64_t> order_key() const { return path_.order_key(); }

 private:
  /// The `which`-th alternative of a branch: the fiber that could continue
  /// first, then the others by ascending id.
  static FiberId alternative(const FiberSet& runnable, std::optional<FiberId> current, std::uint64_t which);

  DfsSettings settings_;
  ChoicePath path_;
  std::uint32_t preemptions_ = 0;  ///< preemptions so far in this execution
};

}  // namespace harness
