// interleave replay / show: re-run a trace, or just print it.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "harness/explore.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/timeline.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {
std::optional<harness::Trace> load_trace_or_report(const std::string& path) {
  try {
    return harness::load_trace(path);
  } catch (const harness::TraceError& error) {
    std::cerr << "interleave: " << error.what() << "\n";
    return std::nullopt;
  }
}

namespace {

void print_header(const harness::Trace& trace) {
  std::string how;
  for (const auto& [key, value] : trace.provenance)
    if (key != "scenario-hash") how += fmt::format("{}{}={}", how.empty() ? "" : ", ", key, value);
  std::cout << fmt::format("trace of '{}' ({})\n", trace.program, how);
}

/// The scenario file a trace names: as recorded (relative to the current
/// directory), else relative to the folder above the trace's folder.
std::string scenario_path(const harness::Trace& trace, const std::string& trace_path) {
  namespace fs = std::filesystem;
  const std::string recorded = harness::provenance_value(trace, "scenario");
  if (recorded.empty() || fs::exists(recorded)) return recorded;
  const fs::path beside = fs::absolute(trace_path).parent_path().parent_path() / recorded;
  return fs::exists(beside) ? beside.string() : recorded;
}

}  // namespace

int cmd_show(const std::string& trace_path) {
  const std::optional<harness::Trace> trace = load_trace_or_report(trace_path);
  if (!trace) return kExitBadInput;
  print_header(*trace);
  std::cout << render_timeline(*trace);
  return kExitHeld;
}

std::optional<Scenario> scenario_of_trace(const harness::Trace& trace, const std::string& trace_path, int& exit_code) {
  const std::string path = scenario_path(trace, trace_path);
  if (path.empty()) {
    std::cerr << fmt::format("interleave: {}: the trace names no scenario file (no 'provenance scenario' line)\n",
                             trace_path);
    exit_code = kExitBadInput;
    return std::nullopt;
  }
  std::optional<Scenario> scenario = load_or_report(path);
  if (!scenario) {
    exit_code = kExitBadInput;
    return std::nullopt;
  }
  const std::string recorded_hash = harness::provenance_value(trace, "scenario-hash");
  if (recorded_hash != scenario->content_hash) {
    std::cerr << fmt::format(
        "interleave: {}: the scenario file {} changed since this trace was recorded (content hash {}, now {}).\n"
        "  The replay would not be of the same program. Re-record the trace with:\n"
        "  interleave run {} --save-traces {}\n",
        trace_path, path, recorded_hash, scenario->content_hash, path,
        std::filesystem::path(trace_path).parent_path().string());
    exit_code = kExitReplayMismatch;
    return std::nullopt;
  }
  return scenario;
}

int cmd_replay(const std::string& trace_path, bool check) {
  const std::optional<harness::Trace> trace = load_trace_or_report(trace_path);
  if (!trace) return kExitBadInput;
  int exit_code = kExitHeld;
  const std::optional<Scenario> loaded = scenario_of_trace(*trace, trace_path, exit_code);
  if (!loaded) return exit_code;
  const Scenario& scenario = *loaded;
  std::uint64_t max_steps = kDefaultMaxSteps;
  if (const std::string recorded = harness::provenance_value(*trace, "max-steps"); !recorded.empty())
    max_steps = std::stoull(recorded);

  const harness::Program program = make_program(scenario, max_steps);
  harness::StackPool stacks;
  const harness::ReplayResult result = harness::replay_trace(program, stacks, *trace, max_steps);
  print_header(result.trace);
  std::cout << render_timeline(result.trace);
  const bool same_outcome = result.trace.outcome == trace->outcome;
  std::cout << (same_outcome ? fmt::format("outcome confirmed: {}\n", harness::describe(trace->outcome))
                             : fmt::format("outcome NOT reproduced: the trace says '{}', the replay gives '{}'\n",
                                           harness::describe(trace->outcome), harness::describe(result.trace.outcome)));
  std::cout << (result.identical ? "trace reproduced byte for byte\n" : "trace NOT reproduced byte for byte\n");
  if (result.identical) return kExitHeld;
  return check ? kExitReplayMismatch : kExitFailed;
}

}  // namespace interleave
