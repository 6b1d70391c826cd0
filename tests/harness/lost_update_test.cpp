// The lost-update program: two goroutines do load; store(load + 1) on a
// shared counter. Some schedule interleaves the two loads and loses an
// update; every strategy must find one. With fetch_add no schedule fails.
#include <catch2/catch.hpp>

#include "harness/strategy/dfs.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "tests/support/explore_helpers.hpp"
#include "examples/programs.hpp"

using namespace harness;

TEST_CASE("dfs finds the lost update, and counts the failing schedules", "[lost-update]") {
  // One round: 4 steps, C(4,2) = 6 schedules. The update survives only when
  // one goroutine's load and store both precede the other's load: "aabb" and
  // "bbaa". The other 4 lose it.
  const Report report = testing::explore_dfs(examples::lost_update(1, false));
  CHECK(report.exhausted);
  CHECK(report.executions == 6);
  const OutcomeClass* lost = report.find(OutcomeKind::kAssertion);
  REQUIRE(lost != nullptr);
  CHECK(lost->count == 4);
  CHECK(lost->outcome.message == "lost update: counter is 1, expected 2");
  CHECK(lost->first_trace.outcome == lost->outcome);
}

TEST_CASE("random walk finds the lost update", "[lost-update]") {
  StackPool stacks;
  RandomWalkStrategy random(7, 200);
  const Report report = explore(examples::lost_update(2, false), random, stacks, ExploreSettings{});
  CHECK(report.executions == 200);
  CHECK(report.find(OutcomeKind::kAssertion) != nullptr);
}

TEST_CASE("pct finds the lost update", "[lost-update]") {
  StackPool stacks;
  PctStrategy pct(7, 200, 3);
  const Report report = explore(examples::lost_update(2, false), pct, stacks, ExploreSettings{});
  CHECK(report.executions == 200);
  CHECK(report.find(OutcomeKind::kAssertion) != nullptr);
}

TEST_CASE("fetch_add passes every schedule", "[lost-update]") {
  for (std::uint32_t rounds = 1; rounds <= 4; ++rounds) {
    const Report report = testing::explore_dfs(examples::lost_update(rounds, true));
    INFO("rounds = " << rounds);
    CHECK(report.exhausted);
    // One step per round per goroutine: C(2n, n) schedules, none failing.
    CHECK(report.executions == testing::binomial(2 * rounds, rounds));
    CHECK(report.failures() == 0);
  }
}

TEST_CASE("load/store explores C(4n,2n) schedules with dfs", "[lost-update]") {
  for (std::uint32_t rounds = 1; rounds <= 3; ++rounds) {
    const Report report = testing::explore_dfs(examples::lost_update(rounds, false));
    CHECK(report.executions == testing::binomial(4 * rounds, 2 * rounds));
    CHECK(report.find(OutcomeKind::kAssertion) != nullptr);
  }
}
