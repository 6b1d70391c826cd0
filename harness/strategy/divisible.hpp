// How a strategy lets its executions be dealt out among parts
// (ShardedStrategy, harness/strategy/sharded.hpp) without knowing about
// parts: one narrow hook for each way of dividing a space exactly.
//
// A strategy implements at most one of these. One that implements neither
// cannot be divided exactly and runs whole: dpor, whose backtrack sets are
// built from the runs it explored, so that a part that skips runs would
// explore other runs than the whole search does.
#pragma once

#include <cstdint>

namespace harness {

/// The alternative a tree search took at a branch.
struct BranchTaken {
  std::uint64_t taken = 0;  ///< index of the alternative, below count
  std::uint64_t count = 1;  ///< alternatives allowed at this branch
};

/// A strategy whose executions are the leaves of a tree of choices, each
/// run once (dfs, delay), where a run cut short after a branch skips the
/// subtree below that branch and changes nothing else: which branches
/// follow, and how many alternatives each has, depend only on the choices
/// above them. Parts may then share the tree out by its first branches.
class ChoiceTree {
 public:
  virtual ~ChoiceTree() = default;
  /// The branch of the choice just answered with a value.
  virtual BranchTaken last_branch() const = 0;
};

/// A strategy whose executions are numbered 0, 1, 2, … in the order it
/// begins them, each decided by its number and by executions that every
/// part runs (random, pct). Parts may then share out the numbers.
class NumberedRuns {
 public:
  virtual ~NumberedRuns() = default;
  /// Passes over the next execution without running it. False if it must
  /// run all the same (pct learns from its first executions): it is then
  /// begun as usual, and the caller does not count it.
  virtual bool skip_next() = 0;
};

}  // namespace harness
