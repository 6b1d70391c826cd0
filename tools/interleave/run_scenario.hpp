// Exploring one scenario: choosing strategies, running them, judging the
// expectations, saving one trace per failing outcome class.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "harness/explore.hpp"
#include "harness/strategy/sharded.hpp"
#include "tools/scenario/expectation.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {

/// Settings from the command line; each overrides the scenario's [explore].
struct ExploreOverrides {
  std::optional<std::string> strategy;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> executions;
  std::optional<std::uint32_t> preemption_bound;
  std::optional<std::uint32_t> delay_bound;  ///< --strategy delay
  bool dpor = false;  ///< dfs with partial-order reduction
  bool stateful = false;  ///< dfs that explores each state once (harness/strategy/stateful.hpp)
  bool shrink = false;  ///< shrink each saved trace
  bool races = false;   ///< --races: detect data races (as [explore] races = true)
  std::uint32_t threads = 1;            ///< worker threads (-j)
  std::optional<harness::Shard> shard;  ///< --shard K/N (threads fields unused)
  std::optional<std::uint32_t> depth;
  std::optional<std::uint64_t> max_steps;
};

/// The budget of each strategy: dfs runs up to this many executions; the
/// default mix, when dfs does not exhaust the space, then runs pct and random
/// with this budget again (half each): up to twice it in all.
inline constexpr std::uint64_t kDefaultBudget = 20000;
inline constexpr std::uint64_t kDefaultMaxSteps = 10000;

struct SavedTrace {
  harness::Outcome outcome;
  std::string path;
  std::string shrink_note;  ///< "shrunk from 3 preemptions, 20 steps", when --shrink
  std::string error;        ///< not empty: the trace could not be saved (harness::IoError's message)
};

struct ScenarioRun {
  harness::Report report;
  std::string strategy;     ///< "dfs", "dfs + dpor, preemption bound 2", "pct, depth 3, seed 1"
  bool exhaustive = false;  ///< a dfs: whether it covered its space is worth saying
  std::string then;         ///< the default mix after a dfs that did not exhaust: "pct depth 3 + random, seed 1"
  Verdict verdict;
  bool judged = true;       ///< false on a shard: part of the space cannot be judged alone
  bool time_limit = false;  ///< --time-limit stopped it (report.interrupted is set too)
  std::vector<SavedTrace> traces;
  /// --stateful: distinct states met; what kept it from pruning, if anything.
  std::optional<std::uint64_t> states;
  std::string stateful_off;
  /// Wall time of the exploration, shrinking and saving included: for
  /// --stats only (statistics.hpp); no report depends on it otherwise.
  double seconds = 0;
  /// Per failing class, what its first execution's failure comes with
  /// beyond the message (a non-linearizable history's table).
  std::map<harness::Outcome, std::string> explanations;
};

/// How a run shows its progress on stderr.
enum class ProgressDisplay : unsigned char {
  kNone,
  kTerminal,  ///< one line redrawn in place (stderr is a terminal)
  kLog,       ///< a plain line every progress_log_period() (a CI log: --progress on a non-terminal)
};

/// How often ProgressDisplay::kLog prints: 10 s, or the milliseconds in the
/// environment variable INTERLEAVE_PROGRESS_PERIOD_MS (for tests: a run
/// longer than the period must not be needed to see a line).
std::chrono::milliseconds progress_log_period();

/// Explores `scenario`. With `traces_dir`, saves the first trace of each
/// failing outcome class there, as `<trace_stem>.<kind>.trace` (trace_stem:
/// the scenario's name when empty; see trace_stems).
/// Throws BadPlan (explore_plan.hpp) when the options and the scenario's
/// [explore] table cannot be honoured together.
ScenarioRun run_scenario(const Scenario& scenario, const ExploreOverrides& overrides,
                         const std::optional<std::string>& traces_dir, ProgressDisplay progress,
                         const std::string& trace_stem = {});

/// The stem of each scenario file's saved traces, collision-free and
/// deterministic: the file's stem, unless another file of `files` (a
/// different file) has the same stem; those get as many of their folders
/// as tell them apart ("a/x" and "b/x" for a/x.toml and b/x.toml), which
/// become folders under --save-traces.
std::vector<std::string> trace_stems(const std::vector<std::string>& files);

/// Adds the scenario's identity to a trace, so replay can find and check it:
/// its path as loaded (relative to the current directory) and the hash of
/// its meaning (canonical_scenario_hash of the file, read again). Throws
/// ScenarioError or harness::IoError if the file can no longer be read.
void stamp_scenario(harness::Trace& trace, const Scenario& scenario);
/// Saves a stamped trace with its scenario path rewritten relative to the
/// trace's folder (the replay resolves it from there). Throws
/// harness::FileRefused or harness::IoError.
void save_scenario_trace(const std::string& path, harness::Trace trace);

/// "12,870"
std::string grouped(std::uint64_t n);

}  // namespace interleave
