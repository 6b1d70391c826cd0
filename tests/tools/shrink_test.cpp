// Shrinking keeps the outcome, never adds preemptions or steps, and writes
// an ordinary trace that replays byte for byte.
#include <catch2/catch.hpp>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "harness/explore.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/trace/atomic_file.hpp"
#include "tests/support/explore_helpers.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/run_scenario.hpp"
#include "tools/scenario/canonical_hash.hpp"
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
  const ShrinkResult smaller = shrink(scenario, original, ShrinkOptions{{}, dir + "/smaller.toml"});
  REQUIRE(smaller.scenario_path);
  CHECK(smaller.operations_before == 9);
  CHECK(smaller.operations_after == 2);
  CHECK(smaller.trace.outcome == wanted);
  CHECK(schedule_size(smaller.trace).preemptions <= schedule_size(original).preemptions);
  // The trace names the smaller scenario and replays against it.
  const Scenario reloaded = load_scenario(*smaller.scenario_path);
  CHECK(harness::provenance_value(smaller.trace, "scenario-hash") == canonical_scenario_hash_of_file(*smaller.scenario_path));
  harness::StackPool replay_stacks;
  CHECK(harness::replay_trace(make_program(reloaded, kDefaultMaxSteps), replay_stacks, smaller.trace, kDefaultMaxSteps).identical);
}

namespace {

/// Whether some schedule without preemptions of `scenario` ends in a failure
/// of `kind`: exhaustive dfs with preemption bound 0, independent of the
/// shrinker's own check.
bool fails_without_preemptions(const Scenario& scenario, harness::OutcomeKind kind) {
  const harness::Report report = harness::testing::explore_dfs(make_program(scenario, kDefaultMaxSteps), 0);
  REQUIRE(report.exhausted);
  for (const auto& c : report.classes)
    if (c.outcome.kind == kind) return true;
  return false;
}

}  // namespace

TEST_CASE("a lost update keeps the goroutines it needs: the smaller story still needs an interleaving", "[shrink]") {
  // Story 9's lost update: each goroutine's m[0]++ is correct alone; only a
  // preemption between the unlocked read and the locked write loses one.
  // Removing goroutine a's loop leaves b alone with final {0: 2}, "the same"
  // wrong result reached without any preemption: not the story any more.
  // Every wrong result and fatal of the story is shrunk as `interleave
  // shrink` does, and what comes out must still need a preemption.
  const Scenario scenario = load_scenario(std::string(INTERLEAVE_SCENARIO_DIR) + "/09_read_outside_lock.toml");
  REQUIRE_FALSE(fails_without_preemptions(scenario, harness::OutcomeKind::kWrongResult));
  REQUIRE_FALSE(fails_without_preemptions(scenario, harness::OutcomeKind::kFatal));
  const harness::Report report = harness::testing::explore_dfs(make_program(scenario, kDefaultMaxSteps), 2);
  const std::string dir = harness::testing::temp_dir("shrink-story-9");
  int shrunk = 0;
  for (const auto& c : report.classes) {
    if (c.outcome.ok()) continue;
    INFO(harness::describe(c.outcome));
    harness::Trace original = c.first_trace;
    stamp_scenario(original, scenario);
    const ShrinkResult result =
        shrink(scenario, original, ShrinkOptions{{}, dir + "/smaller-" + std::to_string(shrunk) + ".toml"});
    const Scenario final_scenario = result.scenario_path ? load_scenario(*result.scenario_path) : scenario;
    const harness::Trace& final_trace = result.trace;
    CHECK(final_trace.outcome == c.outcome);
    CHECK(schedule_size(final_trace).preemptions >= 1);
    CHECK(final_scenario.goroutines.size() == 2);
    for (const auto& g : final_scenario.goroutines) CHECK(!g.ops.empty());
    CHECK_FALSE(fails_without_preemptions(final_scenario, c.outcome.kind));
    harness::StackPool stacks;
    CHECK(harness::replay_trace(make_program(final_scenario, kDefaultMaxSteps), stacks, final_trace, kDefaultMaxSteps).identical);
    ++shrunk;
  }
  CHECK(shrunk == 3);
}

namespace {

/// The first trace of outcome `wanted` in `tries` random walks, stamped.
std::optional<harness::Trace> random_failure(const Scenario& scenario, const harness::Outcome& wanted,
                                             std::uint64_t seed, std::uint64_t tries,
                                             harness::ExploreSettings settings = {}) {
  harness::StackPool stacks;
  harness::RandomWalkStrategy random(seed, tries);
  const harness::Report report = harness::explore(make_program(scenario, settings.max_steps), random, stacks, settings);
  for (const auto& c : report.classes) {
    if (c.outcome != wanted) continue;
    harness::Trace trace = c.first_trace;
    stamp_scenario(trace, scenario);
    return trace;
  }
  return std::nullopt;
}

bool replays(const Scenario& scenario, const harness::Trace& trace) {
  harness::StackPool stacks;
  return harness::replay_trace(make_program(scenario, kDefaultMaxSteps), stacks, trace, kDefaultMaxSteps).identical;
}

}  // namespace

TEST_CASE("for loops shrink by narrowing their range: halves first, then single steps", "[shrink]") {
  const std::string dir = harness::testing::temp_dir("shrink-loops");
  const std::string path = dir + "/loops.toml";
  harness::write_file_atomically(path, R"(description = "a read/write race inside loops"
[map]
kind = "go"
hash_seed = 1
initial = ["for i in 0..8: put i i"]
[[goroutine]]
name = "writer"
ops = ["for i in 0..8: put i i+1"]
[[goroutine]]
name = "reader"
ops = ["for k in 0..7: get k"]
[expect]
reach = ["fatal: concurrent map read and map write"]
)");
  const Scenario scenario = load_scenario(path);
  const harness::Outcome wanted{harness::OutcomeKind::kFatal, "concurrent map read and map write"};
  const std::optional<harness::Trace> original = random_failure(scenario, wanted, 1, 2000);
  REQUIRE(original);
  const ShrinkResult result = shrink(scenario, *original, ShrinkOptions{{}, dir + "/smaller.toml"});
  REQUIRE(result.scenario_path);
  const Scenario smaller = load_scenario(*result.scenario_path);
  // Each goroutine keeps its loop, and so does the map's initial contents,
  // but every range is down to one iteration.
  REQUIRE(smaller.goroutines.size() == 2);
  std::vector<const Statement*> loops{&smaller.maps.at(0).initial.at(0)};
  for (const auto& g : smaller.goroutines) {
    REQUIRE(g.ops.size() == 1);
    loops.push_back(&g.ops[0]);
  }
  for (const Statement* loop : loops) {
    INFO(loop->text);
    REQUIRE(loop->op == OpCode::kFor);
    REQUIRE(loop->from->kind == Expr::Kind::kInt);
    REQUIRE(loop->to->kind == Expr::Kind::kInt);
    CHECK(loop->to->value - loop->from->value == 1);
  }
  // Halves first: 0..8 became 0..4 (or 4..8) at its first change, not 1..8
  // or 0..7.
  const auto changed = [&](const std::string& text) {
    return std::find(result.changes.begin(), result.changes.end(), text) != result.changes.end();
  };
  CAPTURE(result.changes);
  CHECK((changed("goroutine 'writer': 'for i in 0..8: …' -> 'for i in 0..4: …'") ||
         changed("goroutine 'writer': 'for i in 0..8: …' -> 'for i in 4..8: …'")));
  CHECK((changed("map 'm' initial: 'for i in 0..8: …' -> 'for i in 0..4: …'") ||
         changed("map 'm' initial: 'for i in 0..8: …' -> 'for i in 4..8: …'")));
  // Still the same failure, still needing a preemption, and replayable.
  CHECK(result.trace.outcome == wanted);
  CHECK(result.after.preemptions == 1);
  CHECK_FALSE(fails_without_preemptions(smaller, harness::OutcomeKind::kFatal));
  CHECK(replays(smaller, result.trace));
}

TEST_CASE("the preemption phase never searches the trace's own count", "[shrink]") {
  // That many preemptions are known to be enough: the trace has them.
  const Scenario scenario = load_scenario(std::string(INTERLEAVE_SCENARIO_DIR) + "/09_read_outside_lock.toml");
  const harness::Report report = harness::testing::explore_dfs(make_program(scenario, kDefaultMaxSteps), 2);
  int checked = 0;
  for (const auto& c : report.classes) {
    if (c.outcome.ok()) continue;
    harness::Trace original = c.first_trace;
    stamp_scenario(original, scenario);
    const ShrinkResult result = shrink_trace(scenario, original, 100000);
    const ShrinkPhase& phase = result.phases.at(0);
    INFO(harness::describe(c.outcome) << ": " << result.before.preemptions << " preemptions; " << phase.note);
    REQUIRE(result.before.preemptions >= 1);
    REQUIRE(phase.highest_bound);
    CHECK(*phase.highest_bound < result.before.preemptions);
    CHECK(*phase.highest_bound <= result.after.preemptions);
    CHECK(result.exhaustive);
    CHECK(replays(scenario, result.trace));
    ++checked;
  }
  CHECK(checked == 3);
}

TEST_CASE("a bound whose space exceeds the budget stops the phase and says so; total work is capped", "[shrink]") {
  // Three writers: lost keys (count above the reachable keys) need several
  // preemptions among 85 steps; bounds 2 and 3 hold far more than 200
  // schedules.
  const std::string dir = harness::testing::temp_dir("shrink-budget");
  const std::string path = dir + "/writers.toml";
  harness::write_file_atomically(path, R"(description = "three writers"
[map]
kind = "go"
hash_seed = 1
initial = ["put 0 0"]
[[goroutine]]
name = "w1"
ops = ["for i in 1..4: put i i"]
[[goroutine]]
name = "w2"
ops = ["for i in 4..7: put i i"]
[[goroutine]]
name = "w3"
ops = ["for i in 7..10: put i i"]
[expect]
reach = ["fatal: concurrent map writes"]
)");
  const Scenario scenario = load_scenario(path);
  const harness::Outcome wanted{harness::OutcomeKind::kCorruption, "map 'm': count is 10 but 7 keys are reachable"};
  const std::optional<harness::Trace> original = random_failure(scenario, wanted, 1, 20000);
  REQUIRE(original);
  const ShrinkLimits limits{200, 1000};
  const ShrinkResult result = shrink(scenario, *original, ShrinkOptions{limits, dir + "/smaller.toml"});
  INFO(result.phases.at(0).note);
  CHECK(result.executions <= limits.total);
  CHECK_FALSE(result.exhaustive);
  const std::string& note = result.phases.at(0).note;
  CHECK((note.find("exceeds the budget of 200 executions") != std::string::npos ||
         note.find("the total budget (1,000 executions) is spent") != std::string::npos));
  CHECK(note.find("not shown to be the fewest") != std::string::npos);
  REQUIRE(result.phases.at(0).highest_bound);
  CHECK(*result.phases.at(0).highest_bound < result.before.preemptions);
  CHECK(result.trace.outcome == wanted);
  CHECK(result.after.preemptions <= result.before.preemptions);
  const Scenario final_scenario = result.scenario_path ? load_scenario(*result.scenario_path) : scenario;
  CHECK(replays(final_scenario, result.trace));
}

TEST_CASE("the steps phase is skipped when the schedule is minimal by an argument", "[shrink]") {
  // With max-steps 10 every schedule of story 9 ends as step-bound after
  // exactly 10 steps: no schedule is shorter, so nothing is searched.
  // (The scenario interpreter's own bound is the same number of operations;
  // a goroutine of story 9 takes more than one step per operation, so the
  // engine's step bound comes first.)
  const Scenario scenario = load_scenario(std::string(INTERLEAVE_SCENARIO_DIR) + "/09_read_outside_lock.toml");
  harness::ExploreSettings settings;
  settings.max_steps = 10;
  const harness::Outcome wanted{harness::OutcomeKind::kStepBound,
                                "no end after 10 steps (livelock, or raise --max-steps)"};
  std::optional<harness::Trace> original = random_failure(scenario, wanted, 1, 50, settings);
  REQUIRE(original);
  original->provenance.emplace_back("max-steps", "10");
  const ShrinkResult result = shrink_trace(scenario, *original, 100000);
  const ShrinkPhase& steps = result.phases.at(1);
  INFO(steps.note);
  CHECK_FALSE(steps.ran);
  CHECK(steps.executions == 0);
  CHECK(steps.note.find("step-bound") != std::string::npos);
  CHECK(result.trace.outcome == wanted);
  CHECK(result.after.steps == 10);
  CHECK(result.after.preemptions == 0);
}

TEST_CASE("interleave shrink reports each phase: its time, its executions, what it showed", "[shrink]") {
  const Scenario scenario = load_scenario(std::string(INTERLEAVE_SCENARIO_DIR) + "/09_read_outside_lock.toml");
  const harness::Report report = harness::testing::explore_dfs(make_program(scenario, kDefaultMaxSteps), 2);
  const harness::OutcomeClass* fatal = report.find(harness::OutcomeKind::kFatal);
  REQUIRE(fatal != nullptr);
  harness::Trace original = fatal->first_trace;
  stamp_scenario(original, scenario);
  const std::string dir = harness::testing::temp_dir("shrink-cli");
  harness::save_trace(dir + "/fatal.trace", original);
  std::ostringstream out;
  std::streambuf* saved = std::cout.rdbuf(out.rdbuf());
  // The trace names its scenario outside the working directory: allowed here.
  const int code = cmd_shrink(dir + "/fatal.trace", std::nullopt, 100000, false, /*allow_outside=*/true);
  std::cout.rdbuf(saved);
  const std::string text = out.str();
  INFO(text);
  CHECK(code == 0);
  CHECK(text.find("phases (") != std::string::npos);
  for (const char* phase : {"  preemptions ", "  steps ", "  operations "}) {
    const std::size_t at = text.find(phase);
    REQUIRE(at != std::string::npos);
    const std::string line = text.substr(at, text.find('\n', at) - at);
    CHECK(line.find(" s ") != std::string::npos);
    CHECK(line.find(" executions ") != std::string::npos);
  }
  CHECK(text.find("1 preemption is the fewest: bound 0 searched to the end") != std::string::npos);
  CHECK(text.find("'for i in 0..2: …' -> 'for i in 0..1: …'") != std::string::npos);
  CHECK(std::filesystem::exists(dir + "/fatal.shrunk.trace"));
  CHECK(std::filesystem::exists(dir + "/fatal.shrunk.toml"));
}

TEST_CASE("p preemptions need p + 1 steps: a shrunk deadlock is not searched again for fewer steps", "[shrink]") {
  // Story 14: each goroutine takes its first lock, one preemption apart, and
  // both block on the other's: 2 steps, the fewest 1 preemption allows.
  const Scenario scenario = load_scenario(std::string(INTERLEAVE_SCENARIO_DIR) + "/14_lock_order_inversion.toml");
  const harness::Report report = harness::testing::explore_dfs(make_program(scenario, kDefaultMaxSteps), 2);
  const harness::OutcomeClass* deadlock = report.find(harness::OutcomeKind::kDeadlock);
  REQUIRE(deadlock != nullptr);
  harness::Trace original = deadlock->first_trace;
  stamp_scenario(original, scenario);
  const ShrinkResult once = shrink_trace(scenario, original, 100000);
  REQUIRE(once.after.preemptions == 1);
  REQUIRE(once.after.steps == 2);
  const ShrinkResult twice = shrink_trace(scenario, once.trace, 100000);
  const ShrinkPhase& steps = twice.phases.at(1);
  INFO(steps.note);
  CHECK_FALSE(steps.ran);
  CHECK(steps.executions == 0);
  CHECK(steps.note == "already minimal: a schedule with 1 preemption has at least 2 steps");
  CHECK(twice.exhaustive);
  CHECK(twice.after.steps == 2);
  CHECK(replays(scenario, twice.trace));
}
