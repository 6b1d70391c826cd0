#include "tools/interleave/shrink.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "harness/execution.hpp"
#include "harness/explore.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/trace/atomic_file.hpp"
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

namespace {

struct Found {
  std::vector<harness::Decision> decisions;
  std::uint32_t bound = 0;
  std::uint64_t steps = 0;
  bool exhaustive = true;
};

/// The shortest schedule reaching `outcome` under the smallest preemption
/// bound up to `max_bound` that reaches it at all.
std::optional<Found> search(const harness::Program& program, const harness::Outcome& outcome, std::uint32_t max_bound,
                            std::uint64_t budget, std::uint64_t max_steps) {
  harness::StackPool stacks;
  harness::Execution execution(stacks);
  bool exhaustive = true;
  for (std::uint32_t bound = 0; bound <= max_bound; ++bound) {
    harness::DfsStrategy dfs(harness::DfsSettings{bound, budget, {}});
    std::optional<Found> best;
    while (dfs.begin_execution()) {
      const harness::Outcome& result = execution.run(program, dfs, harness::ExecutionSettings{max_steps, false});
      if (result == outcome && (!best || execution.steps() < best->steps))
        best = Found{execution.decisions(), bound, execution.steps(), true};
    }
    exhaustive = exhaustive && dfs.exhausted();
    if (best) {
      best->exhaustive = exhaustive;
      return best;
    }
  }
  return std::nullopt;
}

std::uint64_t max_steps_of(const harness::Trace& trace) {
  // The CLI checked the range (max_steps_of_trace) of a trace read from a file.
  return std::min(harness::provenance_number(trace, "max-steps").value_or(kDefaultMaxSteps), kMaxMaxSteps);
}

harness::Trace record(const harness::Program& program, const Found& found, const ScheduleSize& before,
                      std::uint64_t max_steps) {
  harness::StackPool stacks;
  harness::Provenance provenance = harness::DfsStrategy(harness::DfsSettings{found.bound, 1, {}}).provenance();
  provenance.emplace_back("max-steps", std::to_string(max_steps));
  provenance.emplace_back("shrunk-from", fmt::format("{} preemptions, {} steps", before.preemptions, before.steps));
  return harness::record_trace(program, stacks, found.decisions, std::move(provenance), max_steps);
}

std::size_t operation_count(const Scenario& scenario) {
  std::size_t n = 0;
  for (const auto& g : scenario.goroutines) n += g.ops.size();
  return n;
}

}  // namespace

ShrinkResult shrink_trace(const Scenario& scenario, const harness::Trace& trace, std::uint64_t budget_per_bound) {
  ShrinkResult result;
  result.trace = trace;
  result.before = schedule_size(trace);
  result.after = result.before;
  const std::uint64_t max_steps = max_steps_of(trace);
  const harness::Program program = make_program(scenario, max_steps);
  const std::optional<Found> found =
      search(program, trace.outcome, static_cast<std::uint32_t>(result.before.preemptions), budget_per_bound, max_steps);
  if (!found) return result;
  result.exhaustive = found->exhaustive;
  if (found->bound == result.before.preemptions && found->steps >= result.before.steps) return result;
  harness::Trace shrunk = record(program, *found, result.before, max_steps);
  if (shrunk.outcome != trace.outcome) return result;  // not deterministic: keep the original
  stamp_scenario(shrunk, scenario);
  result.after = schedule_size(shrunk);
  result.trace = std::move(shrunk);
  return result;
}

std::optional<OperationShrinkResult> shrink_operations(const Scenario& scenario, const harness::Trace& trace,
                                                       const std::string& scenario_out, std::uint64_t budget) {
  const std::uint64_t max_steps = max_steps_of(trace);
  const std::uint32_t max_bound = static_cast<std::uint32_t>(schedule_size(trace).preemptions);
  const std::string candidate_path = scenario_out + ".candidate.toml";
  Scenario current = scenario;
  std::optional<Found> accepted;
  for (bool removed = true; removed;) {
    removed = false;
    for (std::size_t g = 0; g < current.goroutines.size() && !removed; ++g) {
      for (std::size_t k = current.goroutines[g].ops.size(); k-- > 0 && !removed;) {
        const std::optional<std::string> text = without_operation(current.path, g, k);
        if (!text) continue;
        harness::write_file_atomically(candidate_path, *text);
        Scenario candidate;
        try {
          candidate = load_scenario(candidate_path);
        } catch (const ScenarioError&) {
          continue;  // e.g. a later operation used a variable the removed one bound
        }
        const std::optional<Found> found =
            search(make_program(candidate, max_steps), trace.outcome, max_bound, budget, max_steps);
        if (!found) continue;
        std::filesystem::rename(candidate_path, scenario_out);
        current = load_scenario(scenario_out);
        accepted = found;
        removed = true;
      }
    }
  }
  std::filesystem::remove(candidate_path);
  if (!accepted) return std::nullopt;
  OperationShrinkResult result;
  result.scenario_path = scenario_out;
  result.operations_before = operation_count(scenario);
  result.operations_after = operation_count(current);
  const harness::Program program = make_program(current, max_steps);
  result.trace = record(program, *accepted, schedule_size(trace), max_steps);
  stamp_scenario(result.trace, current);
  return result;
}

}  // namespace interleave
