// `linearizable` in a scenario's [expect] (tools/scenario/program.cpp,
// maps/history/map_history.hpp), end to end on the stories: the
// copy-on-write map's history is not linearizable and the report's table
// is the smallest history that shows it; the fixes' histories are.
#include <catch2/catch.hpp>

#include <string>

#include "tools/interleave/run_scenario.hpp"
#include "tools/scenario/scenario.hpp"

using namespace interleave;
using Catch::Matchers::Contains;

namespace {

ScenarioRun run(const std::string& file) {
  const Scenario scenario = load_scenario(std::string(INTERLEAVE_SCENARIO_DIR) + "/" + file);
  return run_scenario(scenario, ExploreOverrides{}, std::nullopt, ProgressDisplay::kNone);
}

const harness::Outcome kNotLinearizableOutcome{harness::OutcomeKind::kWrongResult, kNotLinearizable};

}  // namespace

TEST_CASE("the copy-on-write map's history is not linearizable, with a two-row table", "[linearizable]") {
  const ScenarioRun cow = run("19_copy_on_write_not_linearizable.toml");
  CHECK(cow.verdict.held);
  CHECK(cow.report.exhausted);
  const auto table = cow.explanations.find(kNotLinearizableOutcome);
  REQUIRE(table != cow.explanations.end());
  // dfs's first failing schedule loses b's put: b's `m[3] = 3` returned, and
  // the map at the end has no key 3. Nothing else is needed to show it.
  CHECK_THAT(table->second, Contains("m[3] = 3") && Contains("m[3] absent") && Contains("why:"));
  CHECK_THAT(table->second, !Contains("m[1]"));
}

TEST_CASE("the fixes' histories are linearizable on every schedule explored", "[linearizable]") {
  for (const char* file : {"11_sync_map.toml", "12_rwmutex_map.toml", "13_sharded_map.toml",
                           "17_copy_on_write_cas_retry.toml", "20_mutex_map_linearizable.toml"}) {
    INFO(file);
    const ScenarioRun fixed = run(file);
    CHECK(fixed.verdict.held);
    CHECK(fixed.report.find(harness::OutcomeKind::kWrongResult) == nullptr);
    CHECK(fixed.explanations.empty());
  }
}
