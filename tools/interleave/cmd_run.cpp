// interleave run: explore scenarios and report every outcome class reached.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/json_report.hpp"

namespace interleave {

std::vector<std::string> scenario_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (fs::is_directory(status)) {
      std::vector<std::string> found;
      fs::directory_iterator it(path, error), end;
      for (; !error && it != end; it.increment(error))
        if (it->is_regular_file(error) && it->path().extension() == ".toml") found.push_back(it->path().string());
      if (error) throw harness::FileIoError(fmt::format("could not read folder {}: {}", path, error.message()));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(status)) {
      files.push_back(path);  // load_scenario refuses what is not a regular file
    } else if (status.type() == fs::file_type::not_found) {
      throw ScenarioError(path, {}, "no such file or directory");
    } else {
      throw harness::FileIoError(fmt::format("could not read {}: {}", path, error.message()));
    }
  }
  return files;
}

std::optional<Scenario> load_or_report(const std::string& path) {
  try {
    return load_scenario(path);
  } catch (const ScenarioError& error) {
    std::cerr << "interleave: " << error.what() << "\n";
    return std::nullopt;
  }
}

void check_output_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (fs::is_directory(status)) throw harness::FileRefused(path, "is a directory, expected a file name");
  if (fs::exists(status) && !fs::is_regular_file(status))
    throw harness::FileRefused(path, "is not a regular file: only a regular file can be written");
}

void check_output_folder(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (fs::exists(status) && !fs::is_directory(status))
    throw harness::FileRefused(path, "is not a directory, expected a folder to save traces in");
}

namespace {

void print_run(std::ostream& out, const Scenario& scenario, const ScenarioRun& run) {
  out << fmt::format("{} — {}\n", scenario.path, scenario.description);
  out << fmt::format("  explored: {} executions, {}{}\n", grouped(run.report.executions), run.strategy_summary,
                           run.report.interrupted ? " (interrupted)" : "");
  out << "  outcomes:\n";
  for (const auto& c : run.report.classes) {
    std::string line = fmt::format("    {:>9}  {}", grouped(c.count), harness::describe(c.outcome));
    for (const SavedTrace& t : run.traces)
      if (t.outcome == c.outcome) {
        line += fmt::format("\n               trace: {}  (replay: interleave replay {})", t.path, t.path);
        if (!t.shrink_note.empty()) line += fmt::format("\n               {}", t.shrink_note);
      }
    out << line << "\n";
  }
  if (run.verdict.held) {
    out << "  expectation: held";
    for (const auto& caveat : run.verdict.caveats) out << " (" << caveat << ")";
    out << "\n";
  } else {
    out << "  expectation: FAILED\n";
    for (const auto& why : run.verdict.failures) out << "    - " << why << "\n";
  }
  out << "\n";
}

}  // namespace

int cmd_run(const std::vector<std::string>& paths, const ExploreOverrides& overrides,
            const std::optional<std::string>& traces_dir, const std::optional<std::string>& json_path) {
  std::vector<Json> json_scenarios;
  auto flush_json = [&] {
    if (!json_path) return;
    const std::string shard =
        overrides.shard ? fmt::format("{}/{}", overrides.shard->index, overrides.shard->count) : "";
    write_json(*json_path, report_json(json_scenarios, shard));
  };
  // With the JSON report on standard output, the text report goes to stderr.
  std::ostream& out = json_path == "-" ? std::cerr : std::cout;
  std::vector<std::string> files;
  try {
    files = scenario_files(paths.empty() ? std::vector<std::string>{"scenarios"} : paths);
    if (json_path && *json_path != "-") check_output_file(*json_path);
    if (traces_dir) check_output_folder(*traces_dir);
  } catch (const ScenarioError& error) {
    std::cerr << "interleave: " << error.what() << "\n";
    return kExitBadInput;
  }
  if (files.empty()) {
    std::cerr << "interleave: no scenario files (*.toml) found\n";
    return kExitBadInput;
  }
  int held = 0, failed = 0, bad = 0;
  const bool progress = ::isatty(STDERR_FILENO) != 0;
  for (const std::string& file : files) {
    const std::optional<Scenario> scenario = load_or_report(file);
    if (!scenario) {
      ++bad;
      continue;
    }
    const ScenarioRun run = run_scenario(*scenario, overrides, traces_dir, progress);
    print_run(out, *scenario, run);
    json_scenarios.push_back(scenario_json(*scenario, run));
    if (run.report.interrupted) {
      flush_json();
      out << "interrupted: the report above covers what was explored; remaining scenarios skipped\n";
      return kExitInterrupted;
    }
    (run.verdict.held ? held : failed) += 1;
  }
  out << fmt::format("{} scenario{}: {} held, {} failed{}\n", files.size(), files.size() == 1 ? "" : "s", held, failed,
                     bad ? fmt::format(", {} could not be read", bad) : "");
  flush_json();
  if (bad > 0) return kExitBadInput;
  return failed > 0 ? kExitFailed : kExitHeld;
}

}  // namespace interleave
