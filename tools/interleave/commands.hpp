// The interleave subcommands; each returns the process exit code.
#pragma once

#include <iostream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "harness/trace/trace.hpp"
#include "tools/interleave/run_scenario.hpp"

namespace interleave {

/// `progress_in_log`: --progress, a plain progress line now and then when
/// stderr is not a terminal (on a terminal the progress line is always shown).
/// `stats`: --stats, the statistics of each scenario (statistics.hpp).
int cmd_run(const std::vector<std::string>& paths, const ExploreOverrides& overrides,
            const std::optional<std::string>& traces_dir, const std::optional<std::string>& json_path = std::nullopt,
            bool progress_in_log = false, bool stats = false);
int cmd_merge(const std::vector<std::string>& report_paths, const std::optional<std::string>& json_path, bool partial);
int cmd_points(const std::string& path, const ExploreOverrides& overrides);
/// `allow_outside`: read the trace's scenario even if its path leads out of
/// the current directory (see scenario_of_trace). The report goes to `out`,
/// errors to `err`.
int cmd_replay(const std::string& trace_path, bool check, bool allow_outside = false, std::ostream& out = std::cout,
               std::ostream& err = std::cerr, bool steps = false);
/// `steps`: each operation's internal steps under it. `html`: also write the
/// page of html_timeline.hpp there (atomically).
int cmd_show(const std::string& trace_path, bool steps = false, const std::optional<std::string>& html = std::nullopt);
/// `run --html DIR`: one page NAME.html in `html_dir` for every NAME.trace in
/// `traces_dir`, in name order. A trace that cannot be read is reported and
/// skipped (exit 2 or 4 at the end, as load_trace says).
int write_html_pages(const std::string& traces_dir, const std::string& html_dir);

struct RegressOptions {
  bool allow_outside = false;
  /// Executions of the bounded dfs that checks each fixed trace's scenario
  /// around its schedule; 0: no such check.
  std::uint64_t fixed_budget = 2000;
};
int cmd_regress(const std::vector<std::string>& dirs, const std::optional<std::string>& junit_path,
                const RegressOptions& options = {}, std::ostream& out = std::cout, std::ostream& err = std::cerr);

/// interleave trace mark-fixed / mark-reproduces: sets what regress expects
/// of each trace (the `expect` line), rewriting it atomically.
int cmd_trace_mark(const std::vector<std::string>& trace_paths, harness::TraceExpectation expectation,
                   std::ostream& out = std::cout, std::ostream& err = std::cerr);
/// interleave trace upgrade: rewrites traces of an older format version in
/// the current one, after checking that each still replays (its schedule,
/// steps and outcome) against its scenario.
int cmd_trace_upgrade(const std::vector<std::string>& trace_paths, bool allow_outside, std::ostream& out = std::cout,
                      std::ostream& err = std::cerr);

int cmd_shrink(const std::string& trace_path, const std::optional<std::string>& output, std::uint64_t budget,
               bool keep_operations, bool allow_outside = false);

/// Loads a trace; on a mistake prints it (file:line:col), sets `exit_code`
/// (2, or 4 when the system failed reading it) and returns nullopt.
std::optional<harness::Trace> load_trace_or_report(const std::string& path, int& exit_code,
                                                   std::ostream& err = std::cerr);
/// The max-steps a trace was recorded with (kDefaultMaxSteps if it says
/// none); prints a located error and returns nullopt when it is out of range.
std::optional<std::uint64_t> max_steps_of_trace(const harness::Trace& trace, const std::string& trace_path,
                                                std::ostream& err = std::cerr);

/// Empty for a trace of the current format; else why a command cannot use
/// it and the command that refreshes it ("t.trace: trace format version 1
/// keys its scenario by the file's bytes, …: interleave trace upgrade t.trace").
std::string old_format_problem(const harness::Trace& trace, const std::string& trace_path);
/// The trace's 'scenario' path resolved against the trace's folder. A path
/// that leads outside the current directory (after following symlinks) is
/// refused unless `allow_outside`: prints why and returns nullopt.
std::optional<std::string> scenario_path_of_trace(const harness::Trace& trace, const std::string& trace_path,
                                                  bool allow_outside, std::ostream& err = std::cerr);

/// Whether a trace may be used with a scenario whose meaning (canonical
/// hash) changed since it was recorded: a replay shows where the schedule
/// departs; a shrink needs the very program the trace was recorded from.
enum class MeaningCheck { kRequireSame, kAllowChanged };
/// The scenario a trace was recorded from (scenario_path_of_trace). A trace
/// of an older format is refused (old_format_problem); with kRequireSame,
/// so is one whose scenario's meaning changed. On failure prints why
/// (located at the provenance line), sets `exit_code` (2, or 3 for a
/// changed scenario) and returns nullopt.
std::optional<Scenario> scenario_of_trace(const harness::Trace& trace, const std::string& trace_path,
                                          bool allow_outside, int& exit_code,
                                          MeaningCheck meaning = MeaningCheck::kRequireSame,
                                          std::ostream& err = std::cerr);

/// Loads a scenario; on a mistake prints it (file:line:col) and returns nullopt.
std::optional<Scenario> load_or_report(const std::string& path);

/// Scenario files named by `paths`: files as given, directories expanded to
/// their *.toml files in name order. Throws ScenarioError for a missing path,
/// harness::IoError for a folder that cannot be listed.
std::vector<std::string> scenario_files(const std::vector<std::string>& paths);

/// Refuses (harness::FileRefused) an output file name that is a directory or
/// another non-regular file, before any work is done.
void check_output_file(const std::string& path);
/// Refuses (harness::FileRefused) an output folder that exists as something
/// other than a folder.
void check_output_folder(const std::string& path);

}  // namespace interleave
