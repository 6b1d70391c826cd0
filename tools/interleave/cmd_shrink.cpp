// interleave shrink: a shorter schedule with the same outcome.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/shrink.hpp"
#include "tools/interleave/timeline.hpp"

namespace interleave {

int cmd_shrink(const std::string& trace_path, const std::optional<std::string>& output, std::uint64_t budget,
               bool keep_operations, bool allow_outside) {
  int exit_code = kExitHeld;
  std::optional<harness::Trace> trace = load_trace_or_report(trace_path, exit_code);
  if (!trace) return exit_code;
  if (trace->outcome.ok()) {
    std::cerr << fmt::format("interleave: {}: the trace ends ok: there is no failure to keep while shrinking\n",
                             trace_path);
    return kExitBadInput;
  }
  if (!max_steps_of_trace(*trace, trace_path)) return kExitBadInput;
  if (output) check_output_file(*output);
  const std::optional<Scenario> scenario = scenario_of_trace(*trace, trace_path, allow_outside, exit_code);
  if (!scenario) return exit_code;
  // From here the trace names its scenario as loaded (relative to the current
  // directory); saving makes it relative to the new trace's folder.
  for (auto& [key, value] : trace->provenance)
    if (key == "scenario") value = scenario->path;

  ShrinkResult result = shrink_trace(*scenario, *trace, budget);
  std::string target = output.value_or("");
  if (target.empty()) {
    std::filesystem::path p(trace_path);
    target = (p.parent_path() / (p.stem().string() + ".shrunk.trace")).string();
  }
  if (const auto folder = std::filesystem::path(target).parent_path(); !folder.empty()) {
    std::error_code error;
    std::filesystem::create_directories(folder, error);
    if (error)
      throw harness::FileIoError(fmt::format("could not create folder {}: {}", folder.string(), error.message()));
  }
  std::string operations_note;
  if (!keep_operations) {
    // Then fewer operations: the smaller scenario is written beside the trace.
    const std::filesystem::path t(target);
    const std::string scenario_out = (t.parent_path() / (t.stem().string() + ".toml")).string();
    if (const auto fewer = shrink_operations(*scenario, result.trace, scenario_out, budget)) {
      result.trace = fewer->trace;
      result.after = schedule_size(fewer->trace);
      operations_note = fmt::format("\ngoroutine operations: {} -> {}; the smaller scenario is {}",
                                    fewer->operations_before, fewer->operations_after, fewer->scenario_path);
    }
  }
  save_scenario_trace(target, result.trace);
  std::cout << render_timeline(result.trace);
  std::cout << fmt::format("shrunk {}: {} preemptions, {} steps -> {} preemptions, {} steps{}\n", trace_path,
                           result.before.preemptions, result.before.steps, result.after.preemptions,
                           result.after.steps,
                           result.exhaustive ? "" : " (a bound's space exceeded the budget: maybe not minimal)");
  if (!operations_note.empty()) std::cout << operations_note.substr(1) << "\n";
  std::cout << fmt::format("saved {}  (replay: interleave replay {})\n", target, target);
  return kExitHeld;
}

}  // namespace interleave
