// Shrinking keeps the outcome, never adds preemptions or steps, and writes
// an ordinary trace that replays byte for byte.
#include <catch2/catch.hpp>

#include "harness/explore.hpp"
#include "harness/strategy/random_walk.hpp"
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
  const harness::Program program = make_program(scenario);
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
