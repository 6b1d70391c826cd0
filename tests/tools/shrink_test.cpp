// Shrinking keeps the outcome, never adds preemptions or steps, and writes
// an ordinary trace that replays byte for byte.
#include <catch2/catch.hpp>

#include "harness/explore.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/trace/atomic_file.hpp"
#include "tests/support/explore_helpers.hpp"
#include "tools/interleave/run_scenario.hpp"
#include "tools/interleave/shrink.hpp"
#include "tools/scenario/program.hpp"

using namespace interleave;

TEST_CASE("a random failing schedule shrinks to the fewest preemptions", "[shrink]") {
  // Story 9: the reader's unlocked get must run while the other goroutine is
  // inside its put. Without preemptions goroutines run one after the other
  // (nothing blocks: the mutex is free whenever it is taken), so no fatal;
  // one preemption, inside the put, is enough. The minimum is therefore 1.
  const Scenario scenario = load_scenario(std::string(INTERLEAVE_SCENARIO_DIR) + "/09_read_outside_lock.toml");
  const harness::Program program = make_program(scenario, harness::ExploreSettings{}.max_steps);
  harness::StackPool stacks;
  bool checked = false;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    harness::RandomWalkStrategy random(seed, 2000);
    const harness::Report report = harness::explore(program, random, stacks, harness::ExploreSettings{});
    for (const auto& c : report.classes) {
      if (c.outcome != harness::Outcome{harness::OutcomeKind::kFatal, "concurrent map read and map write"}) continue;
      harness::Trace original = c.first_trace;
      stamp_scenario(original, scenario);
      const ShrinkResult result = shrink_trace(scenario, original, 100000);
      INFO("seed " << seed << ": " << result.before.preemptions << " preemptions, " << result.before.steps
                   << " steps");
      CHECK(result.trace.outcome == original.outcome);
      CHECK(result.after.preemptions == 1);
      CHECK(result.after.preemptions <= result.before.preemptions);
      CHECK(result.after.steps <= result.before.steps);
      CHECK(schedule_size(result.trace).preemptions == result.after.preemptions);
      const harness::ReplayResult replay = harness::replay_trace(program, stacks, result.trace, kDefaultMaxSteps);
      CHECK(replay.identical);
      checked = true;
    }
  }
  CHECK(checked);
}

TEST_CASE("operations that the failure does not need are removed", "[shrink]") {
  // A read/write race needs one map write and one read in two goroutines:
  // at least two operations, whatever else the story does.
  const std::string dir = harness::testing::temp_dir("shrink-operations");
  const std::string path = dir + "/story.toml";
  harness::write_file_atomically(path, R"(description = "extra operations around a read/write race"
[map]
kind = "go"
initial = ["put 0 0"]
[[goroutine]]
name = "writer"
ops = ["get 7", "put 5 5", "len", "put 1 1", "get 3"]
[[goroutine]]
name = "reader"
ops = ["len", "delete 99", "get 0", "len"]
[expect]
reach = ["fatal: concurrent map read and map write"]
)");
  const Scenario scenario = load_scenario(path);
  const harness::Program program = make_program(scenario, harness::ExploreSettings{}.max_steps);
  harness::StackPool stacks;
  harness::RandomWalkStrategy random(2, 2000);
  const harness::Report report = harness::explore(program, random, stacks, harness::ExploreSettings{});
  const harness::Outcome wanted{harness::OutcomeKind::kFatal, "concurrent map read and map write"};
  const harness::OutcomeClass* found = nullptr;
  for (const auto& c : report.classes)
    if (c.outcome == wanted) found = &c;
  REQUIRE(found != nullptr);
  harness::Trace original = found->first_trace;
  stamp_scenario(original, scenario);
  const auto smaller = shrink_operations(scenario, original, dir + "/smaller.toml", 100000);
  REQUIRE(smaller);
  CHECK(smaller->operations_before == 9);
  CHECK(smaller->operations_after == 2);
  CHECK(smaller->trace.outcome == wanted);
  CHECK(schedule_size(smaller->trace).preemptions <= schedule_size(original).preemptions);
  // The trace names the smaller scenario and replays against it.
  const Scenario reloaded = load_scenario(smaller->scenario_path);
  CHECK(harness::provenance_value(smaller->trace, "scenario-hash") == reloaded.content_hash);
  harness::StackPool replay_stacks;
  CHECK(harness::replay_trace(make_program(reloaded, kDefaultMaxSteps), replay_stacks, smaller->trace, kDefaultMaxSteps).identical);
}
