// Statistics of a run, asked for with `interleave run --stats`: for each
// outcome class its share of the executions, the first execution that
// reached it (counted from 1, across the default mix's phases) and the
// strategy that found it; for the scenario, the wall time of its
// exploration and the executions per second. Opt-in because times differ
// from run to run: without --stats the text and JSON reports depend only on
// the scenario and the options.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace interleave {

struct ScenarioRun;
struct ScenarioReport;

struct ClassStatistics {
  std::uint64_t first_execution = 0;  ///< 1-based; with -j or a shard, within the thread or shard that found it
  std::string found_by;               ///< "dfs", "pct depth 3", "random, seed 1"
  friend bool operator==(const ClassStatistics&, const ClassStatistics&) = default;
};

struct ScenarioStatistics {
  double seconds = 0;                   ///< wall time of the exploration (shrinking included)
  std::vector<ClassStatistics> classes;  ///< as the report's classes, in their order
  friend bool operator==(const ScenarioStatistics&, const ScenarioStatistics&) = default;
};

ScenarioStatistics statistics_of(const ScenarioRun& run);

/// The lines `run --stats` prints under a scenario's report. REQUIRES:
/// report.statistics.
void print_statistics(std::ostream& out, const ScenarioReport& report);

nlohmann::ordered_json statistics_json(const ScenarioStatistics& statistics);
/// Throws nlohmann::json::exception on a malformed object.
ScenarioStatistics statistics_of_json(const nlohmann::ordered_json& json);

}  // namespace interleave
