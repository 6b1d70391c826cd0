// interleave replay / show: re-run a trace, or just print it.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "harness/explore.hpp"
#include "harness/trace/atomic_file.hpp"
#include "harness/trace/text_escape.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/html_timeline.hpp"
#include "tools/interleave/timeline.hpp"
#include "tools/scenario/canonical_hash.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {
namespace fs = std::filesystem;

std::optional<harness::Trace> load_trace_or_report(const std::string& path, int& exit_code, std::ostream& err) {
  try {
    return harness::load_trace(path);
  } catch (const harness::TraceError& error) {
    err << "interleave: " << error.what() << "\n";
    exit_code = error.io() ? kExitIoError : kExitBadInput;
    return std::nullopt;
  }
}

namespace {

/// "t.trace:6:19" where the trace says `key`, or "t.trace".
std::string where(const harness::Trace& trace, const std::string& trace_path, std::string_view key) {
  if (const auto at = harness::provenance_position(trace, key)) return fmt::format("{}:{}:{}", trace_path, at->line, at->column);
  return trace_path;
}

void print_header(std::ostream& out, const harness::Trace& trace) {
  std::string how;
  for (const auto& [key, value] : trace.provenance)
    if (key != "scenario-hash") how += fmt::format("{}{}={}", how.empty() ? "" : ", ", key, value);
  out << fmt::format("trace of '{}' ({}){}\n", trace.program, how,
                     trace.expect == harness::TraceExpectation::kFixed ? "; kept as fixed" : "");
}

/// Whether `path` (after following symlinks) is `root` or below it.
bool inside(const fs::path& path, const fs::path& root) {
  auto p = path.begin();
  for (auto r = root.begin(); r != root.end(); ++r, ++p) {
    if (r->empty()) continue;  // a trailing separator
    if (p == path.end() || *p != *r) return false;
  }
  return true;
}

}  // namespace

std::optional<std::uint64_t> max_steps_of_trace(const harness::Trace& trace, const std::string& trace_path,
                                                 std::ostream& err) {
  if (harness::provenance_value(trace, "max-steps").empty()) return kDefaultMaxSteps;
  const std::optional<std::uint64_t> recorded = harness::provenance_number(trace, "max-steps");
  if (!recorded || *recorded == 0 || *recorded > kMaxMaxSteps) {
    err << fmt::format("interleave: {}: expected max-steps from 1 to {}, found '{}'\n",
                       where(trace, trace_path, "max-steps"), kMaxMaxSteps,
                       harness::trace_text::shown(harness::provenance_value(trace, "max-steps")));
    return std::nullopt;
  }
  return *recorded;
}

int cmd_show(const std::string& trace_path, bool steps, const std::optional<std::string>& html) {
  int exit_code = kExitHeld;
  const std::optional<harness::Trace> trace = load_trace_or_report(trace_path, exit_code);
  if (!trace) return exit_code;
  print_header(std::cout, *trace);
  std::cout << render_timeline(*trace, steps);
  if (html) harness::write_file_atomically(*html, render_html_timeline(*trace));  // failures: main, exit 4
  return kExitHeld;
}

int write_html_pages(const std::string& traces_dir, const std::string& html_dir) {
  std::vector<fs::path> traces;
  std::error_code error;
  for (fs::directory_iterator it(traces_dir, error), end; !error && it != end; it.increment(error))
    if (it->path().extension() == ".trace") traces.push_back(it->path());
  if (error) throw harness::IoError(fmt::format("could not read folder {}: {}", traces_dir, error.message()));
  std::sort(traces.begin(), traces.end());
  harness::create_folders(html_dir);
  int code = kExitHeld;
  for (const fs::path& path : traces) {
    int exit_code = kExitHeld;
    const std::optional<harness::Trace> trace = load_trace_or_report(path.string(), exit_code);
    if (!trace) {
      code = std::max(code, exit_code);
      continue;
    }
    harness::write_file_atomically((fs::path(html_dir) / (path.stem().string() + ".html")).string(),
                                   render_html_timeline(*trace));
  }
  return code;
}

std::string old_format_problem(const harness::Trace& trace, const std::string& trace_path) {
  if (trace.format_version >= harness::trace_format::kVersion) return {};
  return fmt::format(
      "{}: trace format version {} keys its scenario by the file's bytes, which this build no longer checks; "
      "refresh the trace with: interleave trace upgrade {}",
      trace_path, trace.format_version, trace_path);
}

std::optional<std::string> scenario_path_of_trace(const harness::Trace& trace, const std::string& trace_path,
                                                  bool allow_outside, std::ostream& err) {
  const std::string recorded = harness::provenance_value(trace, "scenario");
  if (recorded.empty()) {
    // A C++ program's trace (interleave::catch2, explore()): only its own
    // binary can run it again.
    err << fmt::format("interleave: {}: the trace names no scenario file (no 'provenance scenario' line): it is "
                       "a trace of the C++ program '{}'; 'interleave show' prints it, and its test binary replays "
                       "it (INTERLEAVE_REPLAY={} <test binary> <test name>, docs/library.md)\n",
                       trace_path, trace.program, trace_path);
    return std::nullopt;
  }
  // Relative to the trace's own folder, wherever the replay runs from.
  const std::string path = (fs::path(trace_path).parent_path() / recorded).lexically_normal().string();
  if (!allow_outside) {
    std::error_code error;
    const fs::path root = fs::weakly_canonical(fs::current_path(error), error);
    const fs::path target = error ? fs::path{} : fs::weakly_canonical(fs::absolute(path), error);
    if (error || !inside(target, root)) {
      err << fmt::format(
          "interleave: {}: the scenario path '{}' leads outside the current directory ({}): a trace may only name a "
          "scenario in the working tree; pass --allow-outside to read it anyway\n",
          where(trace, trace_path, "scenario"), harness::trace_text::shown(recorded),
          error ? error.message() : target.string());
      return std::nullopt;
    }
  }
  return path;
}

std::optional<Scenario> scenario_of_trace(const harness::Trace& trace, const std::string& trace_path,
                                          bool allow_outside, int& exit_code, MeaningCheck meaning,
                                          std::ostream& err) {
  exit_code = kExitBadInput;
  if (const std::string problem = old_format_problem(trace, trace_path); !problem.empty()) {
    err << "interleave: " << problem << "\n";
    return std::nullopt;
  }
  const std::optional<std::string> path = scenario_path_of_trace(trace, trace_path, allow_outside, err);
  if (!path) return std::nullopt;
  const std::string located = where(trace, trace_path, "scenario");
  std::optional<Scenario> scenario;
  try {
    scenario = load_scenario(*path);
  } catch (const ScenarioError& error) {
    // The file the trace names is missing or unreadable: say which line named it.
    err << fmt::format("interleave: {}: the trace's scenario: {}\n", located, error.what());
    return std::nullopt;
  }
  if (meaning == MeaningCheck::kRequireSame) {
    const std::string recorded_hash = harness::provenance_value(trace, "scenario-hash");
    const std::string now = canonical_scenario_hash_of_file(*path);
    if (recorded_hash != now) {
      err << fmt::format(
          "interleave: {}: the meaning of the scenario file {} changed since this trace was recorded (scenario hash "
          "{}, now {}).\n"
          "  See where its schedule departs with: interleave replay {}\n"
          "  or re-record the trace with: interleave run {} --save-traces {}\n",
          trace_path, *path, recorded_hash.empty() ? "none" : recorded_hash, now, trace_path, *path,
          fs::path(trace_path).parent_path().string());
      exit_code = kExitReplayMismatch;
      return std::nullopt;
    }
  }
  exit_code = kExitHeld;
  return scenario;
}

int cmd_replay(const std::string& trace_path, bool check, bool allow_outside, std::ostream& out, std::ostream& err,
               bool steps) {
  int exit_code = kExitHeld;
  const std::optional<harness::Trace> trace = load_trace_or_report(trace_path, exit_code, err);
  if (!trace) return exit_code;
  const std::optional<std::uint64_t> max_steps = max_steps_of_trace(*trace, trace_path, err);
  if (!max_steps) return kExitBadInput;
  const std::optional<Scenario> loaded =
      scenario_of_trace(*trace, trace_path, allow_outside, exit_code, MeaningCheck::kAllowChanged, err);
  if (!loaded) return exit_code;
  const Scenario& scenario = *loaded;
  // A changed meaning is not refused: the replay shows the step where the
  // schedule departs, or that it still applies byte for byte.
  const std::string recorded_hash = harness::provenance_value(*trace, "scenario-hash");
  const std::string now = canonical_scenario_hash_of_file(scenario.path);

  // A history found not linearizable leaves its table here.
  const auto explanation = std::make_shared<std::string>();
  const harness::Program program = make_program(scenario, *max_steps, explanation);
  harness::StackPool stacks;
  const harness::ReplayResult result = harness::replay_trace(program, stacks, *trace, *max_steps);
  print_header(out, result.trace);
  if (recorded_hash != now)
    out << fmt::format("note: the meaning of {} changed since this trace was recorded (scenario hash {}, now {})\n",
                       scenario.path, recorded_hash.empty() ? "none" : recorded_hash, now);
  out << render_timeline(result.trace, steps);
  if (!explanation->empty()) out << "the history, smallest part that is not linearizable:\n" << *explanation;
  const bool same_outcome = result.trace.outcome == trace->outcome;
  out << (same_outcome ? fmt::format("outcome confirmed: {}\n", harness::describe(trace->outcome))
                       : fmt::format("outcome NOT reproduced: the trace says '{}', the replay gives '{}'\n",
                                     harness::describe(trace->outcome), harness::describe(result.trace.outcome)));
  // Byte for byte means the file's own bytes: the reader accepts spellings
  // the writer never produces (a missing final newline, "fiber=00", a doubled
  // space), so comparing two re-written traces would call those identical.
  std::string file_bytes;
  try {
    file_bytes = harness::read_file(trace_path);
  } catch (const std::exception& error) {
    err << "interleave: " << error.what() << "\n";
    return kExitBadInput;
  }
  const bool identical = result.identical && harness::write_trace(result.trace) == file_bytes;
  out << (identical ? "trace reproduced byte for byte\n" : "trace NOT reproduced byte for byte\n");
  if (identical) return kExitHeld;
  return check ? kExitReplayMismatch : kExitFailed;
}

}  // namespace interleave
