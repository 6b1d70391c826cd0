// A part of any strategy's space: shard `index` of `count`, and within it
// part `thread` of `threads`. The strategies know nothing of parts; this
// wrapper deals their executions out, through the hook each one offers
// (harness/strategy/divisible.hpp).
//
// Contract: for one strategy and its settings, the parts of all the shards
// together run each execution of the unwrapped strategy exactly once, with
// the same choices, the same outcome and the same Position; every other run
// ends with a Stop of kind kOtherShard, which explore() does not count. So
// merge_reports() over the parts gives the unwrapped strategy's report. The
// inner strategy sees a run of another part as cut short (end_execution
// gets outcome kPruned): it counts, towards a cap say, only its part's.
//
// How each kind is divided:
//  - a ChoiceTree (dfs, delay) by the alternatives taken at its first
//    branches, read in mixed radix until there are at least 16 prefixes
//    per part: prefix p goes to part p mod parts (many small subtrees
//    dealt round robin balance the parts; one each did not). Stage 0 divides
//    among shards, stage 1 a shard among its threads by the branches after.
//    A run is cut at the branch that gives it to another part, which skips
//    that part's whole subtree. A run that ends before a stage decides goes
//    by the branches it had; a later stage, with none left, gives it to its
//    first part.
//  - NumberedRuns (random, pct) by number: execution n belongs to shard
//    n mod count, and within it to thread (n / count) mod threads. The
//    others are skipped without running, or run and discarded when they
//    must run (pct's calibration).
//  - Any other strategy (dpor) cannot be divided exactly: it is accepted
//    whole (one shard, one thread) only.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "harness/strategy/divisible.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

/// Names a part of a space: shard `index` of `count` (0-based), itself
/// divided into `threads` parts of which this is `thread`.
struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
  std::uint32_t thread = 0;
  std::uint32_t threads = 1;

  bool whole() const { return count == 1 && threads == 1; }
};

/// The reason given with StopKind::kOtherShard.
inline constexpr std::string_view kOtherShardReason = "belongs to another shard";

/// True if `strategy` can be divided into parts exactly (see above).
bool divisible(const Strategy& strategy);

class ShardedStrategy final : public ForwardingStrategy {
 public:
  /// `inner` must outlive the wrapper and be used through it only.
  /// Throws std::invalid_argument if `shard` names no part (an index not
  /// below its count), or if it is not the whole space and `inner` is not
  /// divisible.
  ShardedStrategy(Strategy& inner, Shard shard);

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome& outcome) override;

 private:
  /// Folds the branch just taken into the key; false once the run turns
  /// out to belong to another part.
  bool tree_run_in_part(BranchTaken branch);
  /// Whether a tree run that ended by itself belongs to this part.
  bool ended_tree_run_in_part() const;
  bool number_in_part(std::uint64_t number) const;

  Shard shard_;
  ChoiceTree* tree_ = nullptr;    ///< set when the inner strategy is divided as a tree
  NumberedRuns* runs_ = nullptr;  ///< set when it is divided by number

  // Tree division, per run: the stage (0 among shards, 1 among threads,
  // 2 decided), and the mixed-radix key and prefix count read so far.
  int stage_ = 0;
  std::uint64_t key_ = 0;
  std::uint64_t prefixes_ = 1;

  // Division by number.
  std::uint64_t next_number_ = 0;  ///< number of the next execution, run or skipped
  bool number_mine_ = true;        ///< the run under way belongs to this part
};

}  // namespace harness
