// `interleave run --stats` (tools/interleave/statistics.hpp): each class's
// first execution and finder agree with the phases of the default mix that
// ran, the shares add up, and the statistics survive the JSON report.
#include <catch2/catch.hpp>

#include <fstream>

#include "tests/support/explore_helpers.hpp"
#include "tools/interleave/json_report.hpp"
#include "tools/interleave/run_scenario.hpp"
#include "tools/interleave/statistics.hpp"
#include "tools/scenario/scenario.hpp"

using namespace interleave;

namespace {

// Two writers whose fatal needs a preemption dfs reaches only late in its
// order: with a budget of 3, dfs's three executions end ok and pct or the
// random walks find the failures.
constexpr const char* kTwoWriters = R"(description = "two writers"
[map]
kind = "go"
[[goroutine]]
name = "a"
ops = ["put 1 1", "put 2 2"]
[[goroutine]]
name = "b"
ops = ["put 3 3", "put 4 4"]
[expect]
reach = ["fatal"]
)";

/// The scenario as a file (a trace records its file's hash).
Scenario two_writers() {
  const std::string path = harness::testing::temp_dir("statistics") + "/two_writers.toml";
  std::ofstream(path) << kTwoWriters;
  return load_scenario(path);
}

}  // namespace

TEST_CASE("statistics name the phase of the default mix that found each class, numbered across phases",
          "[stats]") {
  const Scenario scenario = two_writers();
  ExploreOverrides overrides;
  overrides.executions = 3;
  overrides.max_steps = 10000;
  const ScenarioRun run = run_scenario(scenario, overrides, std::nullopt, ProgressDisplay::kNone);
  REQUIRE(run.then == "pct depth 3 + random, seed 1");
  const ScenarioStatistics statistics = statistics_of(run);
  REQUIRE(statistics.classes.size() == run.report.classes.size());
  // dfs ran 3, pct 1 (half the budget, rounded down), random 2.
  const std::uint64_t dfs_runs = 3, pct_runs = 1;
  REQUIRE(run.report.executions == 6);
  bool some_failure_found_after_dfs = false;
  for (std::size_t i = 0; i < statistics.classes.size(); ++i) {
    const harness::OutcomeClass& c = run.report.classes[i];
    const ClassStatistics& s = statistics.classes[i];
    INFO(harness::describe(c.outcome) << ": first #" << s.first_execution << " by " << s.found_by);
    REQUIRE_FALSE(c.first_key.empty());
    switch (c.first_key.front()) {
      case 0:
        CHECK(s.found_by == "dfs");
        CHECK(s.first_execution >= 1);
        CHECK(s.first_execution <= dfs_runs);
        break;
      case 1:
        CHECK(s.found_by == "pct depth 3");
        CHECK(s.first_execution > dfs_runs);
        CHECK(s.first_execution <= dfs_runs + pct_runs);
        break;
      default:
        CHECK(s.found_by == "random, seed 1");
        CHECK(s.first_execution > dfs_runs + pct_runs);
        CHECK(s.first_execution <= run.report.executions);
        break;
    }
    some_failure_found_after_dfs |= !c.outcome.ok() && c.first_key.front() > 0;
  }
  CHECK(some_failure_found_after_dfs);
}

TEST_CASE("statistics go into the JSON report and come back the same; a merge drops them", "[stats]") {
  const Scenario scenario = two_writers();
  ExploreOverrides overrides;
  overrides.executions = 3;
  const ScenarioRun run = run_scenario(scenario, overrides, std::nullopt, ProgressDisplay::kNone);
  RunReport report;
  report.scenarios.push_back(scenario_report(scenario, run, report.shards));
  report.scenarios.back().statistics = statistics_of(run);
  const Json json = to_json(report);
  REQUIRE(json.at("scenarios").at(0).contains("statistics"));
  const RunReport read = run_report_of(json);
  CHECK(read.scenarios.at(0).statistics == report.scenarios.at(0).statistics);
  CHECK(to_json(read).dump() == json.dump());
  CHECK_FALSE(merge_runs({read}).scenarios.at(0).statistics);
  // Without --stats the report carries no time.
  report.scenarios.back().statistics.reset();
  CHECK_FALSE(to_json(report).at("scenarios").at(0).contains("statistics"));
}
