// The path of choices of a stateless tree search (DfsStrategy,
// DelayBoundStrategy): every execution runs from the start, the choices of
// the last one are kept, and the next execution replays its prefix and takes
// the next untried alternative at the deepest branch that has one. The
// searches differ only in what a scheduling branch allows (how many
// alternatives, and which fiber each is): that stays theirs. This keeps
// the rest, with the checks that the program is deterministic (a replayed
// prefix must meet the same choices again).
//
// A scheduling branch remembers the runnable set and one number of the
// strategy's (its `anchor`: dfs the fiber that could continue, delay
// bounding where the round robin starts); meeting other values there again
// means the program is not deterministic.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "harness/fiber_set.hpp"
#include "harness/outcome.hpp"
#include "harness/strategy/divisible.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

class ChoicePath {
 public:
  /// Before an execution: moves to the next path. False once every path
  /// was taken (exhausted() from then on) or `cap` executions counted.
  bool begin_execution(std::uint64_t cap);
  bool exhausted() const { return exhausted_; }

  /// At a scheduling choice: the alternative to take here (an index below
  /// the branch's count), or a divergence stop. A new branch gets
  /// `count_if_new()` alternatives, asked only then.
  template <class CountIfNew>
  Answer<std::uint64_t> schedule(const FiberSet& runnable, std::uint32_t anchor, std::uint64_t step, CountIfNew count_if_new) {
    if (depth_ == path_.size()) path_.push_back(Branch{false, runnable, anchor, 0, 0, count_if_new()});
    const Branch& branch = path_[depth_];
    if (branch.data || branch.runnable != runnable || branch.anchor != anchor) return schedule_diverged(step);
    ++depth_;
    return branch.taken;
  }
  /// At a data choice: the value to take, or a divergence stop.
  Answer<std::uint64_t> data(const DataChoice& choice);
  /// After an execution: counts it (unless cut short as pruned) and stops
  /// it as a divergence if it met fewer choices than the path it replayed.
  std::optional<Stop> end_execution(const Outcome& outcome);

  /// The branch of the choice just answered.
  BranchTaken last_branch() const;
  /// The alternatives taken at the branches of the execution just run.
  std::vector<std::uint64_t> order_key() const;

 private:
  struct Branch {
    bool data = false;
    FiberSet runnable;          ///< schedule: the runnable set
    std::uint32_t anchor = 0;   ///< schedule: the strategy's own key
    std::uint64_t options = 0;  ///< data: the number of values
    std::uint64_t taken = 0;    ///< index of the alternative taken
    std::uint64_t count = 0;    ///< number of alternatives allowed here
  };
  static Stop schedule_diverged(std::uint64_t step);

  std::vector<Branch> path_;
  std::size_t depth_ = 0;  ///< position in path_ during an execution
  std::uint64_t executions_ = 0;
  bool started_ = false;
  bool exhausted_ = false;
};

}  // namespace harness
