// interleave run: explore scenarios and report every outcome class reached.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/explore_plan.hpp"
#include "tools/interleave/interrupt.hpp"
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
      fs::recursive_directory_iterator it(path, error), end;  // subfolders too, in sorted order below
      for (; !error && it != end; it.increment(error))
        if (it->is_regular_file(error) && it->path().extension() == ".toml") found.push_back(it->path().string());
      if (error) throw harness::IoError(fmt::format("could not read folder {}: {}", path, error.message()));
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(status)) {
      files.push_back(path);  // load_scenario refuses what is not a regular file
    } else if (status.type() == fs::file_type::not_found) {
      throw ScenarioError(path, {}, "no such file or directory");
    } else {
      throw harness::IoError(fmt::format("could not read {}: {}", path, error.message()));
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
  // What harness::write_file_atomically will refuse, said before any work:
  // a folder, a socket or block device, a name under something that is not
  // a folder. A regular file is replaced; a character device or a FIFO
  // (/dev/null, /dev/stdout) is written through.
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error == std::errc::not_a_directory) throw harness::FileRefused(path, "cannot be created: not a directory");
  if (fs::is_directory(status)) throw harness::FileRefused(path, "is a directory, expected a file name");
  if (fs::exists(status) && !fs::is_regular_file(status) && !fs::is_character_file(status) && !fs::is_fifo(status))
    throw harness::FileRefused(path, "is not a regular file, a character device or a pipe: it cannot be written");
}

void check_output_folder(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error == std::errc::not_a_directory || (fs::exists(status) && !fs::is_directory(status)))
    throw harness::FileRefused(path, "is not a directory, expected a folder to save traces in");
}

int cmd_run(const std::vector<std::string>& paths, const ExploreOverrides& overrides,
            const std::optional<std::string>& traces_dir, const std::optional<std::string>& json_path,
            bool progress_in_log, bool stats) {
  RunReport report;
  if (overrides.shard) report.shards = ShardSet{overrides.shard->count, {overrides.shard->index}};
  std::vector<std::string> io_errors;  // files that could not be written: exit 4, after the report
  auto finish = [&](int code) {
    if (json_path) {
      try {
        write_json(*json_path, to_json(report));
      } catch (const harness::IoError& error) {
        io_errors.push_back(error.what());
      }
    }
    for (const std::string& error : io_errors) std::cerr << "interleave: " << error << "\n";
    return io_errors.empty() ? code : kExitIoError;
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
  int held = 0, failed = 0, not_judged = 0, bad = 0;
  // On a terminal, one line redrawn in place; elsewhere (a CI log) plain
  // lines now and then, when asked for.
  const ProgressDisplay progress = ::isatty(STDERR_FILENO) != 0 ? ProgressDisplay::kTerminal
                                   : progress_in_log            ? ProgressDisplay::kLog
                                                                : ProgressDisplay::kNone;
  std::size_t out_of_time = 0;  // scenarios the time limit stopped, or left unexplored
  const std::vector<std::string> stems = trace_stems(files);
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string& file = files[i];
    const std::optional<Scenario> scenario = load_or_report(file);
    if (!scenario) {
      ++bad;
      continue;
    }
    ScenarioRun run;
    try {
      run = run_scenario(*scenario, overrides, traces_dir, progress, stems[i]);
    } catch (const BadPlan& refused) {
      std::cerr << fmt::format("interleave: {}: {}\n", file, refused.what());
      ++bad;
      continue;
    }
    report.scenarios.push_back(scenario_report(*scenario, run, report.shards));
    if (stats) report.scenarios.back().statistics = statistics_of(run);
    print_scenario(out, report.scenarios.back());
    if (stats) print_statistics(out, report.scenarios.back());
    for (const SavedTrace& t : run.traces)
      if (!t.error.empty()) io_errors.push_back(t.error);
    if (run.report.interrupted && !run.time_limit) {
      out << "interrupted: the report above covers what was explored; remaining scenarios skipped\n";
      return finish(interrupted_exit_code());
    }
    // The time limit ends the run but not its judgement: each scenario is
    // judged on what it explored (nothing, for those after the limit), so
    // that none passes unexplored.
    out_of_time += run.time_limit ? 1 : 0;
    const Judgement judgement = report.scenarios.back().judgement;
    (judgement == Judgement::kHeld ? held : judgement == Judgement::kFailed ? failed : not_judged) += 1;
  }
  if (out_of_time > 0)
    out << fmt::format("the time limit ran out: the report above covers what was explored within it ({} of {} "
                       "scenario{} stopped or not explored; raise --time-limit)\n",
                       out_of_time, files.size(), files.size() == 1 ? "" : "s");
  out << fmt::format("{} scenario{}: {} held, {} failed{}{}\n", files.size(), files.size() == 1 ? "" : "s", held, failed,
                     not_judged ? fmt::format(", {} not judged (a shard: merge every shard's report)", not_judged) : "",
                     bad ? fmt::format(", {} could not be read", bad) : "");
  if (bad > 0) return finish(kExitBadInput);
  return finish(failed > 0 ? kExitFailed : kExitHeld);
}

}  // namespace interleave
