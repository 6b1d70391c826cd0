// The explore plan: command line over the scenario's [explore] table over the
// built-in defaults; an option that the resolved strategy would ignore is
// refused, wherever the strategy came from (before, a scenario's strategy
// silently dropped a command-line --preemption-bound).
#include <catch2/catch.hpp>

#include <variant>

#include "tools/interleave/explore_plan.hpp"

using namespace interleave;
using Catch::Matchers::Contains;

namespace {
std::string refusal(const ExploreOverrides& o, const ExploreDefaults& d) {
  const auto plan = resolve_plan(o, d);
  return std::holds_alternative<std::string>(plan) ? std::get<std::string>(plan) : std::string();
}
ExplorePlan plan_of(const ExploreOverrides& o, const ExploreDefaults& d) {
  const auto plan = resolve_plan(o, d);
  REQUIRE(std::holds_alternative<ExplorePlan>(plan));
  return std::get<ExplorePlan>(plan);
}
}  // namespace

TEST_CASE("the command line overrides the scenario, which overrides the defaults", "[plan]") {
  ExploreDefaults scenario;
  scenario.strategy = "pct";
  scenario.depth = 5;
  scenario.seed = 9;
  scenario.executions = 300;
  CHECK(plan_of({}, {}).strategy == StrategyKind::kDefaultMix);
  CHECK(plan_of({}, {}).budget == kDefaultBudget);
  const ExplorePlan from_file = plan_of({}, scenario);
  CHECK(from_file.strategy == StrategyKind::kPct);
  CHECK(from_file.depth == 5);
  CHECK(from_file.describe_first() == "pct, depth 5, seed 9");
  ExploreOverrides cli;
  cli.strategy = "dfs";
  cli.executions = 7;
  const ExplorePlan overridden = plan_of(cli, scenario);
  CHECK(overridden.strategy == StrategyKind::kDfs);
  CHECK(overridden.budget == 7);
  CHECK(overridden.describe_first() == "dfs");  // the file's pct depth is a default, unused here
}

TEST_CASE("a command-line option the scenario's own strategy would ignore is refused", "[plan]") {
  ExploreDefaults random_file;
  random_file.strategy = "random";
  ExploreOverrides bound;
  bound.preemption_bound = 2;
  CHECK_THAT(refusal(bound, random_file),
             Contains("--preemption-bound has no effect with the scenario's [explore] strategy random"));
  ExploreOverrides dpor;
  dpor.dpor = true;
  CHECK_THAT(refusal(dpor, random_file), Contains("--dpor has no effect"));
  ExploreOverrides depth;
  depth.depth = 4;
  CHECK_THAT(refusal(depth, random_file), Contains("--depth has no effect"));
  // With the mix, a bound and dpor apply to its dfs phase, depth to its pct.
  CHECK(refusal(bound, {}).empty());
  CHECK(refusal(depth, {}).empty());
}

TEST_CASE("dpor from the scenario cannot be sharded or threaded: refused, not silently dropped", "[plan]") {
  ExploreDefaults reduced;
  reduced.dpor = true;
  ExploreOverrides sharded;
  sharded.shard = harness::Shard{0, 2, 0, 1};
  CHECK_THAT(refusal(sharded, reduced), Contains("the scenario's [explore] asks for dpor, which cannot be sharded"));
  ExploreOverrides threaded;
  threaded.threads = 2;
  CHECK_THAT(refusal(threaded, reduced), Contains("explores on one thread"));
  CHECK(plan_of({}, reduced).describe_first() == "dfs + dpor");
}

TEST_CASE("stateful search from the scenario is a default; from the command line a request", "[plan]") {
  ExploreDefaults scenario;
  scenario.stateful = true;
  const ExplorePlan from_file = plan_of({}, scenario);
  CHECK(from_file.stateful);
  CHECK(from_file.describe_first() == "dfs + stateful");
  // A command-line --dpor or --preemption-bound asks for another dfs: it wins.
  ExploreOverrides dpor;
  dpor.dpor = true;
  CHECK_FALSE(plan_of(dpor, scenario).stateful);
  CHECK(plan_of(dpor, scenario).dpor);
  ExploreOverrides bounded;
  bounded.preemption_bound = 1;
  CHECK_FALSE(plan_of(bounded, scenario).stateful);
  // -j and --shard cannot serve it: refused, naming the scenario.
  ExploreOverrides threads;
  threads.threads = 2;
  CHECK_THAT(refusal(threads, scenario), Contains("the scenario's [explore] asks for stateful search"));
  ExploreOverrides shard;
  shard.shard = harness::Shard{0, 2, 0, 1};
  CHECK_THAT(refusal(shard, scenario), Contains("cannot be sharded"));
  // On the command line, it drops the scenario's own bound and dpor (defaults).
  ExploreDefaults bounded_scenario;
  bounded_scenario.preemption_bound = 2;
  bounded_scenario.dpor = true;
  ExploreOverrides cli;
  cli.stateful = true;
  const ExplorePlan asked = plan_of(cli, bounded_scenario);
  CHECK(asked.stateful);
  CHECK_FALSE(asked.preemption_bound);
  CHECK(refusal(cli, bounded_scenario).empty());
  // With another strategy on the command line, the scenario's stateful is unused.
  ExploreOverrides random;
  random.strategy = "random";
  CHECK_FALSE(plan_of(random, scenario).stateful);
}
