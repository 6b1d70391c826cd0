#include "tools/interleave/shrink.hpp"

#include <fmt/format.h>

#include "harness/execution.hpp"
#include "harness/explore.hpp"
#include "harness/strategy/dfs.hpp"
#include "tools/interleave/run_scenario.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {

ScheduleSize schedule_size(const harness::Trace& trace) {
  ScheduleSize size;
  size.steps = trace.events.size();
  for (std::size_t k = 1; k < trace.events.size(); ++k) {
    const harness::FiberId previous = trace.events[k - 1].fiber;
    if (trace.events[k].fiber != previous && harness::contains(trace.events[k].runnable, previous))
      ++size.preemptions;
  }
  return size;
}

ShrinkResult shrink_trace(const Scenario& scenario, const harness::Trace& trace, std::uint64_t budget_per_bound) {
  ShrinkResult result;
  result.trace = trace;
  result.before = schedule_size(trace);
  result.after = result.before;
  std::uint64_t max_steps = kDefaultMaxSteps;
  if (const std::string recorded = harness::provenance_value(trace, "max-steps"); !recorded.empty())
    max_steps = std::stoull(recorded);

  const harness::Program program = make_program(scenario);
  harness::StackPool stacks;
  harness::Execution execution(stacks);
  for (std::uint32_t bound = 0; bound <= result.before.preemptions; ++bound) {
    harness::DfsStrategy dfs(harness::DfsSettings{bound, budget_per_bound, {}});
    std::optional<std::vector<harness::Decision>> best;
    std::uint64_t best_steps = UINT64_MAX, best_execution = 0, execution_number = 0;
    while (dfs.begin_execution()) {
      const harness::Outcome& outcome = execution.run(program, dfs, harness::ExecutionSettings{max_steps, false});
      if (outcome == trace.outcome && execution.steps() < best_steps) {
        best_steps = execution.steps();
        best = execution.decisions();
        best_execution = execution_number;
      }
      ++execution_number;
    }
    if (!dfs.exhausted()) result.exhaustive = false;
    if (!best) continue;
    if (bound == result.before.preemptions && best_steps >= result.before.steps) break;  // nothing better
    harness::Provenance provenance = dfs.provenance();
    provenance.emplace_back("execution", std::to_string(best_execution));
    provenance.emplace_back("max-steps", std::to_string(max_steps));
    provenance.emplace_back("shrunk-from", fmt::format("{} preemptions, {} steps", result.before.preemptions,
                                                       result.before.steps));
    harness::Trace shrunk = harness::record_trace(program, stacks, *best, std::move(provenance), max_steps);
    if (shrunk.outcome != trace.outcome) break;  // not deterministic: keep the original
    stamp_scenario(shrunk, scenario);
    result.after = schedule_size(shrunk);
    result.trace = std::move(shrunk);
    break;
  }
  return result;
}

}  // namespace interleave
