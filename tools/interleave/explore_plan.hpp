// The explore plan: the one place where the command line's options and a
// scenario's [explore] table become what will run.
//
// Contract: resolve_plan() takes the command-line overrides over the
// scenario's defaults over the built-in defaults, and returns either a plan
// that runs exactly what it says (every field is used by the strategy it
// names) or the reason it cannot: an option given on the command line that
// the resolved strategy would ignore is refused, never dropped. The
// scenario's own defaults that do not apply to the strategy chosen on the
// command line are simply not used (they are defaults, not requests).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>

#include "harness/strategy/sharded.hpp"
#include "tools/interleave/run_scenario.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {

enum class StrategyKind : unsigned char {
  kDefaultMix,  ///< dfs up to the budget; if not exhausted, then pct and random (half the budget each)
  kDfs,         ///< dfs, with dpor and/or a preemption bound
  kRandom,      ///< seeded random walks
  kPct,         ///< probabilistic concurrency testing
  kDelay,       ///< delay-bounded round robin, exhaustive within the bound
};

/// Parses "dfs", "random", "pct", "delay" (what --strategy accepts).
std::optional<StrategyKind> parse_strategy(const std::string& name);

struct ExplorePlan {
  StrategyKind strategy = StrategyKind::kDefaultMix;
  bool dpor = false;
  bool stateful = false;
  std::optional<std::uint32_t> preemption_bound;
  std::uint64_t seed = 1;
  std::uint64_t budget = kDefaultBudget;
  std::uint32_t depth = 3;
  std::uint32_t delay_bound = 2;
  std::uint64_t max_steps = kDefaultMaxSteps;
  harness::Shard shard;      ///< index/count only; threads below
  std::uint32_t threads = 1;

  /// Strategies that run before the budget decides (dfs for the mix).
  bool runs_dfs() const { return strategy == StrategyKind::kDfs || strategy == StrategyKind::kDefaultMix; }
  /// The budget is a count of executions known in advance (an ETA is possible).
  bool budget_known() const { return strategy == StrategyKind::kRandom || strategy == StrategyKind::kPct; }
  /// "dfs + dpor, preemption bound 2", "random, seed 1", "pct, depth 3, seed 1".
  std::string describe_first() const;
};

/// Thrown by run_scenario when a scenario's plan cannot be resolved.
struct BadPlan : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The plan, or why the options cannot be honoured together.
std::variant<ExplorePlan, std::string> resolve_plan(const ExploreOverrides& overrides, const ExploreDefaults& defaults);

}  // namespace interleave
