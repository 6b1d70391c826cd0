// The machine-readable report of `interleave run --json`, and the merging of
// shard reports (`interleave merge`). Keys keep a fixed order, so the same
// run writes the same bytes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/interleave/run_scenario.hpp"

namespace interleave {

using Json = nlohmann::ordered_json;

inline constexpr int kJsonReportVersion = 1;

Json scenario_json(const Scenario& scenario, const ScenarioRun& run);
/// The whole report: {"interleave_report": 1, "shard": …, "scenarios": [...], "summary": {...}}.
Json report_json(const std::vector<Json>& scenarios, const std::string& shard);

/// Writes `report` to `path` atomically, or to stdout when path is "-".
void write_json(const std::string& path, const Json& report);

/// Combines shard reports into the report of the unsharded run: counts add
/// up, a scenario is exhausted when every shard exhausted its part, each
/// class keeps the first shard's trace. Throws std::runtime_error on reports
/// that do not fit together (other scenarios, the same shard twice).
Json merge_reports(const std::vector<Json>& reports);

/// What is wrong with a parsed JSON report, if anything: every value that
/// merging reads must be there with its type ("/scenarios/0/executions:
/// expected a whole number, found a string"). Check before merge_reports.
std::optional<std::string> report_problem(const Json& report);

/// The largest JSON report merge reads.
inline constexpr std::size_t kMaxJsonReportBytes = std::size_t{256} << 20;

/// The outcome of one entry of a scenario's "outcomes".
harness::Outcome outcome_of(const Json& entry);

}  // namespace interleave
