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

  std::string target = output.value_or("");
  if (target.empty()) {
    std::filesystem::path p(trace_path);
    target = (p.parent_path() / (p.stem().string() + ".shrunk.trace")).string();
  }
  harness::create_folders(std::filesystem::path(target).parent_path().string());
  ShrinkOptions options;
  options.limits = ShrinkLimits{budget, 4 * budget};
  if (!keep_operations) {
    // Fewer operations too: the smaller scenario is written beside the trace.
    const std::filesystem::path t(target);
    options.scenario_out = (t.parent_path() / (t.stem().string() + ".toml")).string();
  }
  const ShrinkResult result = shrink(*scenario, *trace, options);
  std::cout << render_timeline(result.trace);
  std::cout << fmt::format("shrunk {}: {} preemptions, {} steps -> {} preemptions, {} steps{}\n", trace_path,
                           result.before.preemptions, result.before.steps, result.after.preemptions,
                           result.after.steps,
                           result.exhaustive ? "" : " (a search stopped on its budget: maybe not minimal)");
  if (result.scenario_path) {
    std::cout << fmt::format("goroutine operations: {} -> {}; the smaller scenario is {}\n", result.operations_before,
                             result.operations_after, *result.scenario_path);
    for (const std::string& change : result.changes) std::cout << "  " << change << "\n";
  }
  std::cout << fmt::format("phases ({} executions, budget {} per search, {} in all):\n", grouped(result.executions),
                           grouped(options.limits.per_search), grouped(options.limits.total));
  for (const ShrinkPhase& phase : result.phases) {
    if (phase.ran)
      std::cout << fmt::format("  {:<12} {:>8.3f} s {:>10} executions  {}\n", phase.name, phase.seconds,
                               grouped(phase.executions), phase.note);
    else
      std::cout << fmt::format("  {:<12} skipped: {}\n", phase.name, phase.note);
  }
  if (result.interrupted) std::cout << "interrupted: the trace is saved as it was, not shrunk\n";
  save_scenario_trace(target, result.trace);  // a failure is reported by main (exit 4), after the report
  std::cout << fmt::format("saved {}  (replay: interleave replay {})\n", target, target);
  return kExitHeld;
}

}  // namespace interleave
