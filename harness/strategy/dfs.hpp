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
  Position position() const override { return Position{exhausted_, order_key(), std::nullopt}; }
  Provenance provenance() const override;
  StepObserver* step_observer() override { return nullptr; }
  BranchTaken last_branch() const override;
  bool exhausted() const { return exhausted_; }
  /// The alternatives taken at the branches of the execution just run.
  std::vector<std::uint64_t> order_key() const;

 private:
  struct Branch {
    bool data = false;
    FiberSet runnable = 0;             ///< schedule: the runnable set
    std::optional<FiberId> current;    ///< schedule: the fiber that could continue
    std::uint64_t options = 0;         ///< data: the number of values
    std::uint64_t taken = 0;           ///< index of the alternative taken
    std::uint64_t count = 0;           ///< number of alternatives allowed here
  };
  static FiberId alternative(const Branch& branch, std::uint64_t which);

  DfsSettings settings_;
  std::vector<Branch> path_;
  std::size_t depth_ = 0;          ///< position in path_ during an execution
  std::uint32_t preemptions_ = 0;  ///< preemptions so far in this execution
  std::uint64_t executions_ = 0;
  bool started_ = false;
  bool exhausted_ = false;
};

}  // namespace harness
