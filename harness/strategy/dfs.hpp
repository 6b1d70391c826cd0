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
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/strategy/strategy.hpp"

namespace harness {

struct DfsSettings {
  std::optional<std::uint32_t> preemption_bound;   ///< none: unbounded
  std::uint64_t max_executions = UINT64_MAX;        ///< cap; exhausted() tells if the space was covered
  /// Explore only this shard of the space. Executions are split by the
  /// alternatives taken at their first branches (until there are at least
  /// as many prefixes as shards): prefix p belongs to shard p mod count. A
  /// shard's threads split it the same way by the branches that follow.
  Shard shard;
};

class DfsStrategy final : public Strategy {
 public:
  explicit DfsStrategy(DfsSettings settings = {}) : settings_(settings) {}

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome& outcome) override;
  Position position() const override { return Position{exhausted_, order_key(), std::nullopt}; }
  Provenance provenance() const override;
  StepObserver* step_observer() override { return nullptr; }
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
  /// Folds the alternative just taken into the shard key; false once the
  /// execution turns out to belong to another shard.
  bool in_shard(const Branch& branch);
  bool short_execution_in_shard() const;

  DfsSettings settings_;
  std::vector<Branch> path_;
  std::size_t depth_ = 0;          ///< position in path_ during an execution
  std::uint32_t preemptions_ = 0;  ///< preemptions so far in this execution
  /// Stage 0 splits among shards, stage 1 among a shard's threads: each
  /// stage reads the alternatives after the previous stage's, in mixed
  /// radix, until there are at least as many prefixes as parts.
  int shard_stage_ = 0;
  std::uint64_t shard_key_ = 0;
  std::uint64_t shard_prefixes_ = 1;
  std::uint64_t executions_ = 0;
  bool started_ = false;
  bool exhausted_ = false;
};

}  // namespace harness
