// interleave trace mark-fixed / mark-reproduces / upgrade: edit a trace's
// header without touching its schedule. Every rewrite is atomic
// (harness::save_trace): a failure leaves the trace as it was.
#include <filesystem>

#include <fmt/format.h>

#include "harness/explore.hpp"
#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/scenario/canonical_hash.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {

int cmd_trace_mark(const std::vector<std::string>& trace_paths, harness::TraceExpectation expectation,
                   std::ostream& out, std::ostream& err) {
  int worst = kExitHeld;
  for (const std::string& path : trace_paths) {
    int code = kExitHeld;
    std::optional<harness::Trace> trace = load_trace_or_report(path, code, err);
    if (!trace) {
      worst = std::max(worst, code);
      continue;
    }
    if (const std::string problem = old_format_problem(*trace, path); !problem.empty()) {
      err << "interleave: " << problem << "\n";
      worst = std::max(worst, kExitBadInput);
      continue;
    }
    const std::string_view word = harness::to_string(expectation);
    if (trace->expect == expectation) {
      out << fmt::format("{}: already expected to be {}\n", path, word);
      continue;
    }
    trace->expect = expectation;
    harness::save_trace(path, *trace);  // a failure is reported by main (exit 4)
    out << (expectation == harness::TraceExpectation::kFixed
                ? fmt::format("{}: marked fixed: 'interleave regress' now expects its schedule to end without the "
                              "failure, and checks the scenario around it\n",
                              path)
                : fmt::format("{}: marked reproduces: 'interleave regress' now expects it to replay byte for byte\n",
                              path));
  }
  return worst;
}

int cmd_trace_upgrade(const std::vector<std::string>& trace_paths, bool allow_outside, std::ostream& out,
                      std::ostream& err) {
  int worst = kExitHeld;
  for (const std::string& path : trace_paths) {
    int code = kExitHeld;
    std::optional<harness::Trace> trace = load_trace_or_report(path, code, err);
    if (!trace) {
      worst = std::max(worst, code);
      continue;
    }
    if (trace->format_version == harness::trace_format::kVersion) {
      out << fmt::format("{}: already trace format version {}\n", path, harness::trace_format::kVersion);
      continue;
    }
    const std::optional<std::uint64_t> max_steps = max_steps_of_trace(*trace, path, err);
    const std::optional<std::string> scenario_path =
        max_steps ? scenario_path_of_trace(*trace, path, allow_outside, err) : std::nullopt;
    std::optional<Scenario> scenario;
    if (scenario_path) {
      try {
        scenario = load_scenario(*scenario_path);
      } catch (const ScenarioError& error) {
        err << fmt::format("interleave: {}: the trace's scenario: {}\n", path, error.what());
      }
    }
    if (!scenario) {
      worst = std::max(worst, kExitBadInput);
      continue;
    }
    // The old hash was of the file's bytes; rather than trust it, replay:
    // only a schedule that still applies step for step is upgraded.
    harness::StackPool stacks;
    const harness::ReplayResult replay =
        harness::replay_trace(make_program(*scenario, *max_steps), stacks, *trace, *max_steps);
    if (!replay.identical) {
      err << fmt::format(
          "interleave: {}: not upgraded: its scenario changed, and the schedule no longer replays ({}).\n"
          "  Re-record it with: interleave run {} --save-traces {}\n",
          path, harness::describe(replay.trace.outcome), *scenario_path,
          std::filesystem::path(path).parent_path().string());
      worst = std::max(worst, kExitReplayMismatch);
      continue;
    }
    for (auto& [key, value] : trace->provenance)
      if (key == "scenario-hash") value = canonical_scenario_hash_of_file(*scenario_path);
    if (harness::provenance_value(*trace, "scenario-hash").empty())
      trace->provenance.emplace_back("scenario-hash", canonical_scenario_hash_of_file(*scenario_path));
    harness::save_trace(path, *trace);
    out << fmt::format("{}: upgraded from trace format version {} to {}\n", path, trace->format_version,
                       harness::trace_format::kVersion);
  }
  return worst;
}

}  // namespace interleave
