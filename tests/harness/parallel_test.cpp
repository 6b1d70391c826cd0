// Shards and threads: the union of the shards of a space is the unsharded
// run (every execution counted exactly once), and the merged report, with
// its first trace per outcome class, does not depend on how it was split.
#include <catch2/catch.hpp>

#include <memory>

#include "examples/programs.hpp"
#include "harness/harness.hpp"
#include "harness/parallel.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/sync/atomic.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;

namespace {

/// The report as text: executions, exhaustion, and each class with its
/// count and first trace.
std::string summary(const Report& report) {
  std::string text = std::to_string(report.executions) + (report.exhausted ? " exhausted\n" : " partial\n");
  for (const auto& c : report.classes)
    text += describe(c.outcome) + " x" + std::to_string(c.count) + "\n" +
            (c.outcome.ok() ? std::string() : write_trace(c.first_trace));
  return text;
}

Report sharded(const Program& program, const StrategyFactory& make, std::uint32_t count) {
  std::vector<Report> parts;
  for (std::uint32_t k = 0; k < count; ++k) {
    StackPool stacks;
    std::unique_ptr<Strategy> strategy = make();
    ShardedStrategy part(*strategy, Shard{k, count});
    parts.push_back(explore(program, part, stacks, ExploreSettings{}));
  }
  return merge_reports(std::move(parts));
}

Program with_data_choices() {
  return Program{"data-and-races", [] {
                   auto cell = std::make_shared<Atomic<int>>(0, "cell");
                   go("a", [cell] { cell->store(static_cast<int>(choose(3, "value")) + 1); });
                   go("b", [cell] {
                     const int seen = cell->load();
                     if (seen == 3) report_failure(OutcomeKind::kWrongResult, "saw 3");
                     cell->store(seen * 10);
                   });
                 }};
}

}  // namespace

TEST_CASE("dfs shards together are exactly the unsharded space", "[parallel]") {
  const StrategyFactory dfs = [] { return std::make_unique<DfsStrategy>(); };
  for (const Program& program : {examples::lost_update(3, false), with_data_choices()}) {
    StackPool stacks;
    DfsStrategy whole;
    const Report unsharded = explore(program, whole, stacks, ExploreSettings{});
    for (std::uint32_t count : {2u, 3u, 4u, 7u, 16u}) {
      INFO(program.name << " in " << count << " shards");
      const Report merged = sharded(program, dfs, count);
      CHECK(merged.executions == unsharded.executions);
      CHECK(summary(merged) == summary(unsharded));
    }
  }
  // An independent count: C(12,6) schedules of 3 rounds of load; store.
  CHECK(sharded(examples::lost_update(3, false), dfs, 5).executions == testing::binomial(12, 6));
}

TEST_CASE("random shards together are exactly the unsharded run", "[parallel]") {
  const Program program = examples::lost_update(2, false);
  const StrategyFactory random = [] { return std::make_unique<RandomWalkStrategy>(9, 500); };
  StackPool stacks;
  RandomWalkStrategy whole(9, 500);
  const Report unsharded = explore(program, whole, stacks, ExploreSettings{});
  for (std::uint32_t count : {2u, 3u, 8u}) {
    INFO(count << " shards");
    CHECK(summary(sharded(program, random, count)) == summary(unsharded));
  }
}

TEST_CASE("pct shards together are exactly the unsharded run", "[parallel]") {
  // Every shard runs pct's calibration executions, so all use the same k.
  const Program program = examples::lost_update(3, false);
  const StrategyFactory pct = [] { return std::make_unique<PctStrategy>(5, 400, 3); };
  StackPool stacks;
  PctStrategy whole(5, 400, 3);
  const Report unsharded = explore(program, whole, stacks, ExploreSettings{});
  CHECK(unsharded.executions == 400);
  for (std::uint32_t count : {2u, 3u, 5u}) {
    INFO(count << " shards");
    CHECK(summary(sharded(program, pct, count)) == summary(unsharded));
    CHECK(summary(explore_parallel(program, pct, Shard{}, count, ExploreSettings{})) == summary(unsharded));
  }
}

TEST_CASE("the report is the same on any number of threads", "[parallel]") {
  const Program program = examples::lost_update(3, false);
  const StrategyFactory dfs = [] { return std::make_unique<DfsStrategy>(); };
  const std::string one = summary(explore_parallel(program, dfs, Shard{}, 1, ExploreSettings{}));
  for (std::uint32_t threads : {2u, 3u, 4u}) {
    INFO(threads << " threads");
    CHECK(summary(explore_parallel(program, dfs, Shard{}, threads, ExploreSettings{})) == one);
  }
  // A program with no choice at all runs once, on one thread only.
  for (std::uint32_t threads : {1u, 3u})
    CHECK(explore_parallel(examples::independent_points(1, 3), dfs, Shard{}, threads, ExploreSettings{}).executions ==
          1);
  // A shard of the space on two threads is that shard.
  CHECK(summary(explore_parallel(program, dfs, Shard{1, 3}, 2, ExploreSettings{})) ==
        summary(explore_parallel(program, dfs, Shard{1, 3}, 1, ExploreSettings{})));
}

TEST_CASE("capped dfs reports the first executions in dfs order on any number of threads", "[parallel]") {
  const Program program = examples::lost_update(3, false);
  DfsStrategy everything;
  StackPool stacks;
  const std::uint64_t space = explore(program, everything, stacks, ExploreSettings{}).executions;
  for (std::uint64_t cap : {1u, 7u, 100u, 923u, 924u, 925u, 100000u}) {
    const StrategyFactory dfs = [cap] { return std::make_unique<DfsStrategy>(DfsSettings{std::nullopt, cap}); };
    const Report one = explore_parallel_capped(program, dfs, Shard{}, 1, cap, ExploreSettings{});
    CHECK(one.executions == std::min(cap, space));
    CHECK(one.exhausted == (cap >= space));
    for (std::uint32_t threads : {2u, 3u, 5u}) {
      INFO("cap " << cap << ", " << threads << " threads");
      CHECK(summary(explore_parallel_capped(program, dfs, Shard{}, threads, cap, ExploreSettings{})) == summary(one));
    }
    // A shard's part, capped, on threads: what one thread gives for it.
    CHECK(summary(explore_parallel_capped(program, dfs, Shard{1, 3}, 3, cap, ExploreSettings{})) ==
          summary(explore_parallel_capped(program, dfs, Shard{1, 3}, 1, cap, ExploreSettings{})));
  }
}
