#include "harness/explore.hpp"

#include <optional>

#include <fmt/format.h>

#include "harness/log.hpp"

#include "harness/execution.hpp"
#include "harness/strategy/replay.hpp"

namespace harness {

std::uint64_t Report::failures() const {
  std::uint64_t total = 0;
  for (const auto& c : classes)
    if (!c.outcome.ok()) total += c.count;
  return total;
}

const OutcomeClass* Report::find(OutcomeKind kind) const {
  for (const auto& c : classes)
    if (c.outcome.kind == kind) return &c;
  return nullptr;
}

namespace {

Trace trace_of(const Program& program, const Execution& execution, Provenance provenance) {
  Trace trace;
  trace.program = program.name;
  trace.provenance = std::move(provenance);
  trace.fibers = execution.fiber_names();
  trace.objects = execution.objects();
  trace.decisions = execution.decisions();
  trace.events = execution.events();
  trace.outcome = execution.outcome();
  return trace;
}

Trace run_replay(const Program& program, StackPool& stacks, const std::vector<Decision>& decisions,
                 const std::vector<Event>& events, const Provenance& provenance, std::uint64_t max_steps) {
  ReplayStrategy replay(decisions, events, provenance);
  replay.begin_execution();
  Execution execution(stacks);
  execution.run(program, replay, ExecutionSettings{max_steps, true, nullptr, races_on(provenance)});
  return trace_of(program, execution, provenance);
}

/// Why the program does not start afresh, or nullopt: the first
/// execution's schedule, run twice more, must make the same choices, steps
/// and outcome each time.
std::optional<std::string> fresh_start_problem(const Program& program, StackPool& stacks, const Execution& first,
                                               const Provenance& provenance, std::uint64_t max_steps) {
  const Trace second = record_trace(program, stacks, first.decisions(), provenance, max_steps);
  const Trace third = record_trace(program, stacks, first.decisions(), provenance, max_steps);
  std::string what;
  if (second.outcome != first.outcome() || second.decisions != first.decisions())
    what = fmt::format("its first schedule, run again, ended with '{}' rather than '{}'", describe(second.outcome),
                       describe(first.outcome()));
  else if (second.events.size() != first.steps() || second.objects != first.objects())
    what = fmt::format("its first schedule, run again, took {} steps rather than {}", second.events.size(),
                       first.steps());
  else if (second.events != third.events || second.outcome != third.outcome)
    what = "its first schedule, run twice more, took different steps each time";
  else
    return std::nullopt;
  return fmt::format("'{}' does not start afresh: {}. Something it keeps between executions (a global or static "
                     "variable, a thread_local) changes what it does: reset it in the program's setup, which runs at "
                     "the start of every execution",
                     program.name, what);
}

}  // namespace

Report explore(const Program& program, Strategy& strategy, StackPool& stacks, const ExploreSettings& settings) {
  Report report;
  report.program = program.name;
  report.provenance = strategy.provenance();
  if (settings.detect_races) report.provenance.emplace_back("races", "on");
  std::map<Outcome, OutcomeClass> classes;
  Progress progress;
  Execution execution(stacks);
  const ExecutionSettings run_settings{settings.max_steps, false, settings.watcher, settings.detect_races,
                                       settings.track_state};

  while (strategy.begin_execution()) {
    if (settings.stop != nullptr && settings.stop->load(std::memory_order_relaxed)) {
      report.interrupted = true;
      break;
    }
    const Outcome& outcome = [&]() -> const Outcome& {
      const InterruptionScope interruptible(settings.stop);
      return execution.run(program, strategy, run_settings);
    }();
    if (outcome.kind == OutcomeKind::kPruned) {
      if (execution.stop_kind() == StopKind::kOtherShard) continue;  // not ours: not counted at all
      if (execution.stop_kind() == StopKind::kInterrupted) {
        report.interrupted = true;  // cut short by a stop request: not counted
        break;
      }
      ++report.pruned;
      ++progress.executions;
      if (settings.on_execution && !settings.on_execution(strategy, outcome)) break;
      continue;
    }
    if (settings.check_fresh_start && progress.executions == 0) {
      if (auto problem = fresh_start_problem(program, stacks, execution, report.provenance, settings.max_steps)) {
        logger().warn("{}", *problem);
        report.warnings.push_back(std::move(*problem));
      }
    }
    auto [it, inserted] = classes.try_emplace(outcome);
    OutcomeClass& cls = it->second;
    if (inserted) {
      logger().debug("{}: execution {} reached a new outcome class: {}", program.name, progress.executions,
                    describe(outcome));
      cls.outcome = outcome;
      cls.first_execution = progress.executions;
      Position position = strategy.position();
      cls.first_key = std::move(position.order_key);
      if (!outcome.ok()) {
        Provenance provenance = report.provenance;
        if (const auto number = position.execution_number)
          provenance.emplace_back("execution", std::to_string(*number));
        provenance.emplace_back("max-steps", std::to_string(settings.max_steps));
        cls.first_trace = record_trace(program, stacks, execution.decisions(), std::move(provenance), settings.max_steps);
        if (cls.first_trace.outcome != outcome) {
          cls.first_trace.outcome = Outcome{
              OutcomeKind::kDivergence,
              fmt::format("the program is not deterministic: re-running execution {} ended with '{}', not '{}'",
                          progress.executions, describe(cls.first_trace.outcome), describe(outcome))};
        }
      }
    }
    ++cls.count;
    ++progress.executions;
    if (!outcome.ok()) ++progress.failures;
    progress.classes = classes.size();
    if (settings.progress && progress.executions % settings.progress_every == 0) settings.progress(progress);
    if (settings.on_execution && !settings.on_execution(strategy, outcome)) break;
    if (settings.stop_at_first_failure && !outcome.ok()) break;
  }
  if (settings.progress) settings.progress(progress);

  report.executions = progress.executions;
  report.exhausted = strategy.position().exhausted && !report.interrupted;
  logger().info("{}: {} executions, {} outcome classes{}", program.name, report.executions, classes.size(),
               report.exhausted ? ", space exhausted" : "");
  for (auto& [outcome, cls] : classes) report.classes.push_back(std::move(cls));
  return report;
}

Trace record_trace(const Program& program, StackPool& stacks, const std::vector<Decision>& decisions,
                   Provenance provenance, std::uint64_t max_steps) {
  static const std::vector<Event> kNoEvents;
  return run_replay(program, stacks, decisions, kNoEvents, provenance, max_steps);
}

ReplayResult replay_trace(const Program& program, StackPool& stacks, const Trace& original, std::uint64_t max_steps) {
  ReplayResult result;
  if (original.program != program.name) {
    result.trace = original;
    result.trace.outcome = Outcome{OutcomeKind::kDivergence,
                                   fmt::format("the trace was recorded for program '{}', not '{}'", original.program,
                                               program.name)};
    result.identical = false;
    return result;
  }
  result.trace = run_replay(program, stacks, original.decisions, original.events, original.provenance, max_steps);
  result.trace.expect = original.expect;  // the header is the original's, as the provenance is
  result.identical = write_trace(result.trace) == write_trace(original);
  return result;
}

}  // namespace harness
