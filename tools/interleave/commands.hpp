// The interleave subcommands; each returns the process exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/trace/trace.hpp"
#include "tools/interleave/run_scenario.hpp"

namespace interleave {

int cmd_run(const std::vector<std::string>& paths, const ExploreOverrides& overrides,
            const std::optional<std::string>& traces_dir, const std::optional<std::string>& json_path = std::nullopt);
int cmd_merge(const std::vector<std::string>& report_paths, const std::optional<std::string>& json_path, bool partial);
int cmd_points(const std::string& path, const ExploreOverrides& overrides);
int cmd_replay(const std::string& trace_path, bool check);
int cmd_show(const std::string& trace_path);
int cmd_regress(const std::vector<std::string>& dirs, const std::optional<std::string>& junit_path);

int cmd_shrink(const std::string& trace_path, const std::optional<std::string>& output, std::uint64_t budget,
               bool keep_operations);

/// Loads a trace; on a mistake prints it (file:line:col) and returns nullopt.
std::optional<harness::Trace> load_trace_or_report(const std::string& path);
/// The scenario a trace was recorded from, checked against its content
/// hash; on failure prints why, sets `exit_code` and returns nullopt.
std::optional<Scenario> scenario_of_trace(const harness::Trace& trace, const std::string& trace_path, int& exit_code);

/// Loads a scenario; on a mistake prints it (file:line:col) and returns nullopt.
std::optional<Scenario> load_or_report(const std::string& path);

/// Scenario files named by `paths`: files as given, directories expanded to
/// their *.toml files in name order. Throws ScenarioError for a missing path.
std::vector<std::string> scenario_files(const std::vector<std::string>& paths);

}  // namespace interleave
