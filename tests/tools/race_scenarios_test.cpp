// The stories under the race detector, against what Go's -race says of the
// same programs: every story whose goroutines touch a plain map without
// synchronisation has no clean run (each run that does not die is a race),
// and the fixes (locks, sync.Map, sharding, copy-on-write behind an atomic,
// a WaitGroup, an owner goroutine with channels) have none.
#include <catch2/catch.hpp>

#include <string>

#include "harness/trace/trace.hpp"
#include "tools/interleave/conflicting_pair.hpp"
#include "tools/interleave/operation_table.hpp"
#include "tools/interleave/run_scenario.hpp"
#include "tools/scenario/scenario.hpp"

using namespace interleave;

namespace {

harness::Report explore_with_races(const std::string& file) {
  const Scenario scenario = load_scenario(std::string(INTERLEAVE_SCENARIO_DIR) + "/" + file);
  ExploreOverrides overrides;
  overrides.races = true;
  return run_scenario(scenario, overrides, std::nullopt, ProgressDisplay::kNone).report;
}

}  // namespace

TEST_CASE("stories with unsynchronised map access: every run that does not die is a race", "[race][stories]") {
  for (const char* file : {"01_writer_reader.toml", "02_two_writers.toml", "06_delete_racing_assign.toml",
                           "07_len_racing_writes.toml", "15_increment_without_lock.toml"}) {
    INFO(file);
    const harness::Report report = explore_with_races(file);
    CHECK(report.find(harness::OutcomeKind::kRace) != nullptr);
    CHECK(report.find(harness::OutcomeKind::kOk) == nullptr);
  }
}

TEST_CASE("the fixes have no race on any schedule explored", "[race][stories]") {
  for (const char* file : {"10_copy_on_write_lost_updates.toml", "11_sync_map.toml", "12_rwmutex_map.toml",
                           "13_sharded_map.toml", "16_waitgroup_total.toml", "17_copy_on_write_cas_retry.toml",
                           "18_owner_goroutine_channel.toml", "20_mutex_map_linearizable.toml"}) {
    INFO(file);
    const harness::Report report = explore_with_races(file);
    CHECK(report.find(harness::OutcomeKind::kRace) == nullptr);
    CHECK(report.executions > 0);
  }
}

TEST_CASE("a race's timeline marks the two unordered accesses and says why", "[race][stories]") {
  const harness::Trace trace =
      harness::load_trace(std::string(INTERLEAVE_SCENARIO_DIR) + "/../traces/21_len_race_detected.race.trace");
  REQUIRE(trace.outcome.kind == harness::OutcomeKind::kRace);
  const ConflictingPair pair = find_conflicting_pair(trace, group_operations(trace));
  REQUIRE(pair.events.size() == 2);
  // The writer's first map call and the counter's first len: nothing orders them.
  CHECK(trace.fibers[harness::index(trace.events[pair.events[0]].fiber)] == "writer");
  CHECK(trace.fibers[harness::index(trace.events[pair.events[1]].fiber)] == "counter");
  CHECK(trace.events[pair.events[1]].label == "maplen");
  CHECK_THAT(pair.why, Catch::Matchers::Contains("neither happens before the other"));
}
