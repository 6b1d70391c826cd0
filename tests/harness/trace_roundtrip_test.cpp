// Traces replay byte for byte: record a failing execution, save it, load it,
// replay it, and the replay writes the very same bytes.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "harness/strategy/random_walk.hpp"
#include "harness/trace/atomic_file.hpp"
#include "harness/trace/trace.hpp"
#include "tests/support/explore_helpers.hpp"
#include "examples/programs.hpp"

using namespace harness;
using Catch::Matchers::Contains;

namespace {
Trace first_failing_trace(const Program& program, std::uint64_t seed) {
  StackPool stacks;
  RandomWalkStrategy random(seed, 1000);
  ExploreSettings settings;
  settings.stop_at_first_failure = true;
  const Report report = explore(program, random, stacks, settings);
  const OutcomeClass* failure = report.find(OutcomeKind::kAssertion);
  REQUIRE(failure != nullptr);
  return failure->first_trace;
}
}  // namespace

TEST_CASE("a trace survives write, parse and write unchanged", "[trace]") {
  const Trace trace = first_failing_trace(examples::lost_update(2, false), 42);
  const std::string text = write_trace(trace);
  const Trace parsed = parse_trace(text, "memory");
  CHECK(parsed == trace);
  CHECK(write_trace(parsed) == text);
  // The log is there for people: every step names its goroutine, op and value.
  CHECK_THAT(text, Contains("op=atomic.load object=0 access=read"));
  CHECK_THAT(text, Contains("detail=\"read 0\""));
  CHECK_THAT(text, Contains("outcome assertion \"lost update: counter is"));
}

TEST_CASE("replaying a saved trace writes the same bytes", "[trace]") {
  const Program program = examples::lost_update(2, false);
  const std::string dir = testing::temp_dir("roundtrip");
  const std::string original_path = dir + "/original.trace";
  const std::string replayed_path = dir + "/replayed.trace";
  save_trace(original_path, first_failing_trace(program, 3));

  const Trace loaded = load_trace(original_path);
  StackPool stacks;
  const ReplayResult replay = replay_trace(program, stacks, loaded, 100000);
  CHECK(replay.identical);
  CHECK(replay.trace.outcome == loaded.outcome);
  save_trace(replayed_path, replay.trace);
  CHECK(read_file(replayed_path) == read_file(original_path));
  // No temporary file is left behind.
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++files;
  CHECK(files == 2);
}

TEST_CASE("the same seed gives the same trace bytes", "[trace][determinism]") {
  const Program program = examples::lost_update(3, false);
  const std::string once = write_trace(first_failing_trace(program, 11));
  const std::string twice = write_trace(first_failing_trace(program, 11));
  CHECK(once == twice);
}

TEST_CASE("the trace matches the golden file whichever compiler built the tool", "[trace][determinism]") {
  // tests/golden/lost_update_2_seed_5.trace was written by this test's
  // program under a g++ build; clang++ builds must write the same bytes
  // (.ci/run builds and runs both). Regenerate it only on a deliberate
  // format change: INTERLEAVE_UPDATE_GOLDEN=1 harness_tests "[determinism]".
  const Trace trace = first_failing_trace(examples::lost_update(2, false), 5);
  const std::string path = std::string(INTERLEAVE_GOLDEN_DIR) + "/lost_update_2_seed_5.trace";
  if (std::getenv("INTERLEAVE_UPDATE_GOLDEN") != nullptr) save_trace(path, trace);
  const std::string golden = read_file(path);
  CHECK(write_trace(trace) == golden);
}

TEST_CASE("a replay that meets a different program names the step where it diverged", "[trace]") {
  const Trace trace = first_failing_trace(examples::lost_update(2, false), 42);
  // Same name, but each round now does a fetch_add: the first step differs.
  Program changed = examples::lost_update(2, true);
  changed.name = trace.program;
  StackPool stacks;
  const ReplayResult replay = replay_trace(changed, stacks, trace, 100000);
  CHECK_FALSE(replay.identical);
  CHECK(replay.trace.outcome.kind == OutcomeKind::kDivergence);
  CHECK_THAT(replay.trace.outcome.message, Contains("diverged from trace at step 0: expected goroutine"));
  CHECK_THAT(replay.trace.outcome.message, Contains("at atomic.load"));
  CHECK_THAT(replay.trace.outcome.message, Contains("found goroutine"));
  CHECK_THAT(replay.trace.outcome.message, Contains("at atomic.fetch-add"));
}

TEST_CASE("a trace for another program is refused", "[trace]") {
  const Trace trace = first_failing_trace(examples::lost_update(2, false), 42);
  StackPool stacks;
  const ReplayResult replay = replay_trace(examples::lock_order_inversion(), stacks, trace, 100000);
  CHECK(replay.trace.outcome.kind == OutcomeKind::kDivergence);
  CHECK_THAT(replay.trace.outcome.message, Contains("recorded for program 'lost-update-2'"));
}

TEST_CASE("a trace kept as fixed says so in its header, and version 1 traces are still read", "[trace]") {
  Trace trace = first_failing_trace(examples::lost_update(2, false), 42);
  const std::string reproduces = write_trace(trace);
  CHECK_THAT(reproduces, Contains("program \"lost-update-2\"\nexpect reproduces\n"));
  trace.expect = TraceExpectation::kFixed;
  const std::string fixed = write_trace(trace);
  CHECK_THAT(fixed, Contains("program \"lost-update-2\"\nexpect fixed\n"));
  CHECK(parse_trace(fixed, "memory").expect == TraceExpectation::kFixed);
  CHECK(fixed.size() == reproduces.size() - std::string("reproduces").size() + std::string("fixed").size());

  // Version 1: no expect line. It reads as a trace that must reproduce; it
  // is written in the current version.
  std::string old = reproduces;
  old.replace(0, std::string("interleave-trace 2").size(), "interleave-trace 1");
  old.erase(old.find("expect reproduces\n"), std::string("expect reproduces\n").size());
  const Trace parsed = parse_trace(old, "old.trace");
  CHECK(parsed.format_version == 1);
  CHECK(parsed.expect == TraceExpectation::kReproduces);
  CHECK(write_trace(parsed) == reproduces);
  CHECK(parse_trace(reproduces, "new.trace").format_version == 2);
}
