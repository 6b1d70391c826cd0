#include "tools/interleave/explore_plan.hpp"

#include <fmt/format.h>

namespace interleave {

std::optional<StrategyKind> parse_strategy(const std::string& name) {
  if (name == "dfs") return StrategyKind::kDfs;
  if (name == "random") return StrategyKind::kRandom;
  if (name == "pct") return StrategyKind::kPct;
  if (name == "delay") return StrategyKind::kDelay;
  return std::nullopt;
}

std::string ExplorePlan::describe_first() const {
  switch (strategy) {
    case StrategyKind::kRandom: return fmt::format("random, seed {}", seed);
    case StrategyKind::kPct: return fmt::format("pct, depth {}, seed {}", depth, seed);
    case StrategyKind::kDelay: return fmt::format("delay, delay bound {}", delay_bound);
    case StrategyKind::kDfs:
    case StrategyKind::kDefaultMix: break;
  }
  return fmt::format("dfs{}{}{}", dpor ? " + dpor" : "", stateful ? " + stateful" : "",
                     preemption_bound ? fmt::format(", preemption bound {}", *preemption_bound) : "");
}

std::variant<ExplorePlan, std::string> resolve_plan(const ExploreOverrides& o, const ExploreDefaults& d) {
  ExplorePlan plan;
  // The strategy: the command line's, else the scenario's, else the mix.
  const std::optional<std::string> named = o.strategy ? o.strategy : d.strategy;
  if (named) {
    const std::optional<StrategyKind> kind = parse_strategy(*named);
    if (!kind) return fmt::format("unknown strategy '{}': expected dfs, random, pct or delay", *named);
    plan.strategy = *kind;
  }
  const bool from_command_line = o.strategy.has_value();
  const std::string which = from_command_line ? fmt::format("--strategy {}", *named)
                            : named           ? fmt::format("the scenario's [explore] strategy {}", *named)
                                              : std::string("the default mix");

  // Command-line options the strategy would ignore are refused.
  const bool dfs_family = plan.runs_dfs();
  if (o.seed && (plan.strategy == StrategyKind::kDfs || plan.strategy == StrategyKind::kDelay))
    return fmt::format("--seed has no effect with {} (it seeds random, pct and the default mix)", which);
  if (o.delay_bound && plan.strategy != StrategyKind::kDelay) return "--delay-bound bounds --strategy delay only";
  if (o.depth && (plan.strategy == StrategyKind::kDfs || plan.strategy == StrategyKind::kRandom ||
                  plan.strategy == StrategyKind::kDelay))
    return fmt::format("--depth has no effect with {} (it is pct's, and the default mix's)", which);
  if (o.preemption_bound && !dfs_family)
    return fmt::format("--preemption-bound has no effect with {} (it bounds dfs)", which);
  if (o.dpor && !dfs_family) return fmt::format("--dpor has no effect with {} (it reduces dfs)", which);
  if (o.stateful && !dfs_family) return fmt::format("--stateful has no effect with {} (it is a dfs)", which);

  plan.seed = o.seed.value_or(d.seed.value_or(1));
  plan.budget = o.executions.value_or(d.executions.value_or(kDefaultBudget));
  plan.depth = o.depth.value_or(d.depth.value_or(3));
  plan.delay_bound = o.delay_bound.value_or(2);
  plan.max_steps = o.max_steps.value_or(d.max_steps.value_or(kDefaultMaxSteps));
  plan.shard = o.shard.value_or(harness::Shard{});
  plan.threads = std::max<std::uint32_t>(o.threads, 1);
  if (dfs_family) {
    plan.preemption_bound = o.preemption_bound ? o.preemption_bound : d.preemption_bound;
    plan.dpor = o.dpor || d.dpor.value_or(false);
  }

  // Stateful search, asked for on the command line or as the scenario's
  // default (which a command-line --dpor or --preemption-bound, a request
  // for another dfs, replaces). A state's future depends on nothing but the
  // state only for plain, unbounded dfs on one engine with one visited set;
  // the scenario's own bound and dpor are defaults for plain dfs, unused.
  const bool by_scenario = !o.stateful && d.stateful.value_or(false) && !o.dpor && !o.preemption_bound;
  if (dfs_family && (o.stateful || by_scenario)) {
    if (o.dpor) return "--stateful cannot be combined with dpor (sleep sets and a visited set prune unsoundly together)";
    if (o.preemption_bound) return "--stateful explores without a preemption bound (drop --preemption-bound)";
    plan.dpor = false;
    plan.preemption_bound.reset();
    if (plan.shard.count > 1)
      return by_scenario ? "the scenario's [explore] asks for stateful search, whose visited states span the whole "
                           "tree: it cannot be sharded (run it without --shard)"
                         : "--stateful cannot be sharded: its visited states span the whole tree (drop --shard)";
    if (plan.threads > 1)
      return by_scenario ? "the scenario's [explore] asks for stateful search, which explores on one thread: -j has "
                           "no effect with it (run it without -j)"
                         : "--stateful explores on one thread: -j has no effect with it";
    if (o.races)
      return by_scenario ? "the scenario's [explore] asks for stateful search, which cannot be combined with --races "
                           "(the detector's clocks are state it does not see)"
                         : "--stateful cannot be combined with --races (the detector's clocks are state it does not see)";
    plan.stateful = true;
  }
  // Partial-order reduction shares its backtrack sets across the whole
  // tree: it runs on one engine, unsharded.
  if (plan.dpor && plan.shard.count > 1)
    return o.dpor ? std::string("--dpor cannot be sharded: its backtrack sets span the whole tree (drop --shard)")
                  : std::string("the scenario's [explore] asks for dpor, which cannot be sharded: its backtrack "
                                "sets span the whole tree (run it without --shard)");
  if (plan.dpor && plan.threads > 1)
    return o.dpor ? std::string("--dpor explores on one thread: -j has no effect with it")
                  : std::string("the scenario's [explore] asks for dpor, which explores on one thread: -j has no "
                                "effect with it (run it without -j)");
  return plan;
}

}  // namespace interleave
