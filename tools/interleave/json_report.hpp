// The report of a run, as one model: what `interleave run` prints and writes
// with --json, what `interleave merge` reads back, combines and prints with
// the same printer. The JSON is the model, losslessly: reading a report and
// writing it again gives the same bytes. Keys keep a fixed order, so the
// same run writes the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/interleave/run_scenario.hpp"
#include "tools/interleave/statistics.hpp"

namespace interleave {

using Json = nlohmann::ordered_json;

/// Version 2: shard sets, "held": null for an expectation not judged, the
/// strategy in parts, every printed field.
inline constexpr int kJsonReportVersion = 2;

/// Which part of a space a report covers: shards `indices` (sorted, unique)
/// of `count`. The whole space is {1, {0}}.
struct ShardSet {
  std::uint32_t count = 1;
  std::vector<std::uint32_t> indices{0};

  bool whole() const { return indices.size() == count; }
  /// "" (whole, unsharded), "2/4", or "0,1,3/4".
  std::string text() const;
  /// Parses text(); nullopt if malformed.
  static std::optional<ShardSet> parse(const std::string& text);
  friend bool operator==(const ShardSet&, const ShardSet&) = default;
};

struct ClassReport {
  harness::Outcome outcome;
  std::uint64_t count = 0;
  /// Orders the class's first execution among the run's (see
  /// harness::Strategy::order_key): a merge keeps the smallest.
  std::vector<std::uint64_t> order_key;
  std::optional<std::string> trace;  ///< where its first failing execution was saved
  std::string trace_error;           ///< why it could not be saved
  std::string shrink_note;
  /// Why its first execution failed, beyond the message: the smallest
  /// non-linearizable history as a table (`linearizable` in [expect]).
  std::string explanation;
  friend bool operator==(const ClassReport&, const ClassReport&) = default;
};

enum class Judgement { kHeld, kFailed, kNotJudged };

struct ScenarioReport {
  std::string path;
  std::string name;
  std::string description;
  std::string scenario_hash;
  /// What explored it: "dfs", "dfs + dpor, preemption bound 2", "pct, depth 3, seed 1".
  std::string strategy;
  bool exhaustive = false;  ///< a dfs: the line says whether the space was covered
  std::string then;         ///< the default mix after a dfs that did not exhaust: "pct depth 3 + random, seed 1"
  /// Where `then` ran, when not on every shard of the report: its shards.
  std::optional<ShardSet> then_on;
  ShardSet shards;              ///< the part of the space explored
  std::uint32_t merged_from = 1;  ///< reports combined into this one
  std::uint64_t executions = 0;  ///< complete executions: the sum of the class counts
  std::uint64_t pruned = 0;      ///< executions cut short as redundant (sleep-set blocked; stateful: a state seen before)
  std::optional<std::uint64_t> states;  ///< --stateful: distinct states met
  std::string stateful_off;             ///< --stateful: why nothing was pruned somewhere, if so
  bool exhausted = false;
  bool interrupted = false;  ///< stopped by a signal (Ctrl-C, SIGTERM, SIGHUP)
  bool time_limit = false;   ///< stopped by --time-limit
  std::vector<ClassReport> classes;
  Judgement judgement = Judgement::kNotJudged;
  std::vector<std::string> failures;
  std::vector<std::string> caveats;
  /// With `run --stats` only (statistics.hpp); a merge has none.
  std::optional<ScenarioStatistics> statistics;
  friend bool operator==(const ScenarioReport&, const ScenarioReport&) = default;
};

/// The report of one scenario's run (its shard: overrides.shard).
ScenarioReport scenario_report(const Scenario& scenario, const ScenarioRun& run, const ShardSet& shards);

/// "dfs (exhausted) + pct depth 3 + random, seed 1; merged from 4 shards".
std::string strategy_line(const ScenarioReport& report);
/// The text report of one scenario (ends with an empty line).
void print_scenario(std::ostream& out, const ScenarioReport& report);

struct RunReport {
  ShardSet shards;
  std::vector<ScenarioReport> scenarios;
};

Json to_json(const RunReport& report);
/// Throws std::runtime_error on a report that is not of this version or not
/// well formed.
RunReport run_report_of(const Json& json);

/// Writes `report` to `path` atomically (see harness::write_file_atomically),
/// or to stdout when path is "-". Throws harness::IoError.
void write_json(const std::string& path, const Json& report);

/// The harness::Report that judging needs (the classes, the counts).
harness::Report harness_report(const ScenarioReport& report);

/// Combines reports of disjoint shards of one run: counts add up, a scenario
/// is exhausted when every shard exhausted its part and the shards cover the
/// space, each class keeps the execution with the smallest order key (the
/// one the unsharded run meets first). Expectations are left to judge.
/// Throws std::runtime_error on reports that do not fit together (other
/// scenarios or strategies, other shard counts, a shard given twice).
RunReport merge_runs(const std::vector<RunReport>& reports);


/// The largest JSON report merge reads.
inline constexpr std::size_t kMaxJsonReportBytes = std::size_t{256} << 20;

/// The outcome of one entry of a scenario's "outcomes".
harness::Outcome outcome_of(const Json& entry);

}  // namespace interleave
