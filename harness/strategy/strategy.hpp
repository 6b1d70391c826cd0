// The strategy interface: the engine asks, the strategy answers.
//
// Protocol, per execution:
//   begin_execution()            -> false ends the exploration
//   { choose_fiber() | choose_data() | observe_step() }*   in program order
//   end_execution(outcome)
// choose_fiber is called only when at least two fibers are runnable (a forced
// step is no choice), choose_data only when there are at least two values.
// A strategy sees candidates and their pending operations, never a fiber.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/ids.hpp"
#include "harness/operation.hpp"
#include "harness/outcome.hpp"

namespace harness {

struct SchedulingChoice {
  std::uint64_t step = 0;          ///< index of the step being chosen
  FiberSet runnable = 0;           ///< at least two fibers
  /// The fiber that just announced its next operation and could go on
  /// running; choosing another one is a preemption. Empty when the previous
  /// fiber finished or blocked (switching is then free).
  std::optional<FiberId> current;
  const Operation* pending = nullptr;  ///< pending[i]: fiber i's next operation
};

struct DataChoice {
  std::uint64_t after_steps = 0;  ///< steps taken when the value is drawn
  std::uint64_t options = 0;      ///< at least two: the value is in [0, options)
  std::string_view label;
};

/// One step about to be taken, as a replay checks it.
struct StepView {
  std::uint64_t step = 0;
  FiberId fiber{};
  const Operation* operation = nullptr;
  FiberSet runnable = 0;
  /// Steps taken when this fiber was spawned: its spawner's step is the one
  /// before (0: spawned in setup, before any step).
  std::uint64_t spawned_at = 0;
};

/// A deterministic 1/count of a strategy's space: shard `index` of `count`
/// (0-based), itself split into `threads` parts of which this is `thread`.
/// The shards of a space together cover it exactly once, and so do the
/// parts of a shard, whatever the counts.
struct Shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;
  std::uint32_t thread = 0;
  std::uint32_t threads = 1;
};

/// The stop reason of an execution that belongs to another shard; such
/// executions end as kPruned and are not counted at all.
inline constexpr std::string_view kOtherShard = "belongs to another shard";

/// Settings that produced a trace, in the order a trace header lists them.
using Provenance = std::vector<std::pair<std::string, std::string>>;

class Strategy {
 public:
  virtual ~Strategy() = default;

  /// Prepares the next execution; false when there is nothing left to run.
  virtual bool begin_execution() = 0;
  /// A member of choice.runnable, or nullopt to stop the execution (a replay
  /// that diverged); stop_reason() then says why.
  virtual std::optional<FiberId> choose_fiber(const SchedulingChoice& choice) = 0;
  /// A value below choice.options, or nullopt to stop (see choose_fiber).
  virtual std::optional<std::uint64_t> choose_data(const DataChoice& choice) = 0;
  /// A message if the execution, seen whole, contradicts what the strategy
  /// expected (a replay that ended early, a dfs prefix that was not followed):
  /// the engine then turns the outcome into kDivergence.
  virtual std::optional<std::string> end_execution(const Outcome& /*outcome*/) { return std::nullopt; }

  /// Strategies that check every step (replay) return true; the engine
  /// then calls observe_step before each step is taken.
  virtual bool wants_steps() const { return false; }
  /// False stops the execution; stop_reason() says why.
  virtual bool observe_step(const StepView& /*step*/) { return true; }
  virtual std::string stop_reason() const { return {}; }
  /// After a stop: true when the strategy pruned the execution (nothing new
  /// can follow), rather than detecting a divergence.
  virtual bool pruned() const { return false; }

  /// True once the strategy has run every execution there is (dfs only).
  virtual bool exhausted() const { return false; }
  /// Orders the execution just run among all the executions of the
  /// unsharded strategy (dfs: the alternatives taken; random, pct: its
  /// number). Merging shards or threads keeps, per outcome class, the
  /// execution with the smallest key: the one an unsharded run meets first.
  virtual std::vector<std::uint64_t> order_key() const { return {}; }
  /// The execution's number in the unsharded run, where that identifies it
  /// (random, pct: it seeds the execution); nullopt for dfs.
  virtual std::optional<std::uint64_t> execution_number() const { return std::nullopt; }
  /// Name and settings, for trace headers and reports.
  virtual Provenance provenance() const = 0;
};

}  // namespace harness
