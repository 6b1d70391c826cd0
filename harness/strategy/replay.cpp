#include "harness/strategy/replay.hpp"

#include <algorithm>
#include <bit>

#include <fmt/format.h>

#include "harness/execution.hpp"

namespace harness {

ReplayStrategy::ReplayStrategy(const std::vector<Decision>& decisions, const std::vector<Event>& events,
                               Provenance provenance)
    : decisions_(decisions), events_(events), provenance_(std::move(provenance)) {}

bool ReplayStrategy::begin_execution() {
  if (started_) return false;
  started_ = true;
  next_ = 0;
  steps_seen_ = 0;
  return true;
}

const Decision* ReplayStrategy::next_decision(Decision::Kind kind, std::uint64_t step, const char* what) {
  if (next_ == decisions_.size()) {
    stop_reason_ = fmt::format("diverged from trace at step {}: the program asks for a {} choice, "
                               "but the trace has no decisions left",
                               step, what);
    return nullptr;
  }
  const Decision& decision = decisions_[next_];
  if (decision.kind != kind) {
    stop_reason_ = fmt::format("diverged from trace at step {}: the program asks for a {} choice, "
                               "but decision {} of the trace is a {} choice",
                               step, what, next_, kind == Decision::Kind::kData ? "scheduling" : "data");
    return nullptr;
  }
  ++next_;
  return &decision;
}

Answer<FiberId> ReplayStrategy::choose_fiber(const SchedulingChoice& choice) {
  const Decision* decision = next_decision(Decision::Kind::kSchedule, choice.step, "scheduling");
  if (decision == nullptr) return diverged(stop_reason_);
  if (decision->step != choice.step || decision->runnable != choice.runnable) {
    stop_reason_ = fmt::format("diverged from trace at step {}: the trace chose among {} at step {}, "
                               "this run chooses among {}",
                               choice.step, format_fiber_set(decision->runnable), decision->step,
                               format_fiber_set(choice.runnable));
    return diverged(stop_reason_);
  }
  return FiberId{static_cast<std::uint32_t>(decision->value)};
}

Answer<std::uint64_t> ReplayStrategy::choose_data(const DataChoice& choice) {
  const Decision* decision = next_decision(Decision::Kind::kData, choice.after_steps, "data");
  if (decision == nullptr) return diverged(stop_reason_);
  if (decision->step != choice.after_steps || decision->options != choice.options || decision->label != choice.label) {
    stop_reason_ = fmt::format("diverged from trace after {} steps: the trace drew {} from {} options "
                               "after {} steps, this run asks for {} from {} options",
                               choice.after_steps, decision->label, decision->options, decision->step, choice.label,
                               choice.options);
    return diverged(stop_reason_);
  }
  return decision->value;
}

std::optional<Stop> ReplayStrategy::end_execution(const Outcome& outcome) {
  if (outcome.kind == OutcomeKind::kDivergence) return std::nullopt;
  if (!events_.empty() && steps_seen_ < events_.size())
    return diverged(fmt::format("diverged from trace at step {}: the run ended ({}) where the trace goes on to step {}",
                       steps_seen_, describe(outcome), events_.size() - 1));
  if (next_ < decisions_.size())
    return diverged(fmt::format("diverged from trace: the run ended ({}) with {} of the trace's {} decisions unused",
                       describe(outcome), decisions_.size() - next_, decisions_.size()));
  return std::nullopt;
}

std::optional<Stop> ReplayStrategy::observe_step(const StepView& step) {
  steps_seen_ = step.step + 1;
  const Operation& operation = *step.operation;
  auto describe = [](std::uint32_t fiber, std::string_view label, ObjectId object, AccessKind access,
                     const FiberSet& runnable) {
    const std::string object_text = object == kNoObject ? "-" : std::to_string(index(object));
    return fmt::format("goroutine {} at {} (object {}, {}) with runnable {}", fiber, label, object_text,
                       to_string(access), format_fiber_set(runnable));
  };
  const std::string found =
      describe(index(step.fiber), operation.label, operation.object, operation.access, *step.runnable);
  if (step.step >= events_.size()) {
    stop_reason_ = fmt::format("diverged from trace at step {}: the trace ends after {} steps, this run goes on "
                               "with {}",
                               step.step, events_.size(), found);
    return diverged(stop_reason_);
  }
  const Event& expected = events_[step.step];
  if (expected.fiber != step.fiber || expected.label != operation.label || expected.object != operation.object ||
      expected.access != operation.access || expected.runnable != *step.runnable) {
    stop_reason_ = fmt::format("diverged from trace at step {}: expected {}; found {}", step.step,
                               describe(index(expected.fiber), expected.label, expected.object, expected.access,
                                        expected.runnable),
                               found);
    return diverged(stop_reason_);
  }
  return std::nullopt;
}

}  // namespace harness

// ---- Lenient replay ----

namespace harness {

LenientReplayStrategy::LenientReplayStrategy(const Trace& recorded, FiberNames name_of)
    : recorded_(recorded), name_of_(std::move(name_of)) {}

bool LenientReplayStrategy::begin_execution() {
  if (started_) return false;
  started_ = true;
  return true;
}

std::optional<FiberId> LenientReplayStrategy::recorded_fiber_at(std::uint64_t step) const {
  if (step < recorded_.events.size()) return recorded_.events[step].fiber;
  if (!recorded_.events.empty()) return std::nullopt;
  // A trace without its log: its scheduling decisions say who ran where.
  for (const Decision& d : recorded_.decisions)
    if (d.kind == Decision::Kind::kSchedule && d.step == step) return FiberId{static_cast<std::uint32_t>(d.value)};
  return std::nullopt;
}

std::size_t LenientReplayStrategy::current_rank(FiberId fiber) const {
  std::size_t rank = 0;
  for (std::uint32_t i = 0; i < index(fiber); ++i) rank += name_of_(FiberId{i}) == name_of_(fiber) ? 1 : 0;
  return rank;
}

Answer<FiberId> LenientReplayStrategy::choose_fiber(const SchedulingChoice& choice) {
  if (const std::optional<FiberId> recorded = recorded_fiber_at(choice.step);
      recorded && index(*recorded) < recorded_.fibers.size()) {
    const std::string& name = recorded_.fibers[index(*recorded)];
    std::size_t recorded_rank = 0;
    for (std::uint32_t i = 0; i < index(*recorded); ++i) recorded_rank += recorded_.fibers[i] == name ? 1 : 0;
    for (const FiberId candidate : choice.runnable) {
      if (name_of_(candidate) == name && current_rank(candidate) == recorded_rank) return candidate;
    }
  }
  // The recorded choice does not apply here: no preemption, else the first.
  if (choice.current) return *choice.current;
  return lowest(choice.runnable);
}

Answer<std::uint64_t> LenientReplayStrategy::choose_data(const DataChoice& choice) {
  for (std::size_t i = next_data_; i < recorded_.decisions.size(); ++i) {
    const Decision& d = recorded_.decisions[i];
    if (d.kind != Decision::Kind::kData || d.label != choice.label) continue;
    next_data_ = i + 1;
    return d.value < choice.options ? d.value : 0;
  }
  return std::uint64_t{0};
}

namespace {

/// The identity of a recorded fiber across programs: its name, and its rank
/// among fibers of that name when it is not the first.
std::string fiber_identity(const Trace& trace, FiberId fiber) {
  if (index(fiber) >= trace.fibers.size()) return fmt::format("#{}", index(fiber));
  const std::string& name = trace.fibers[index(fiber)];
  std::size_t rank = 0;
  for (std::uint32_t i = 0; i < index(fiber); ++i) rank += trace.fibers[i] == name ? 1 : 0;
  return rank == 0 ? fmt::format("'{}'", name) : fmt::format("'{}' (#{})", name, rank + 1);
}

/// One step as a person reads it, in terms that do not depend on how a
/// program numbers its fibers and objects.
std::string step_text(const Trace& trace, const Event& e) {
  std::string object = "no object";
  if (e.object != kNoObject && index(e.object) < trace.objects.size())
    object = fmt::format("{} '{}'", trace.objects[index(e.object)].kind, trace.objects[index(e.object)].name);
  std::vector<std::string> names;  // sorted: a set of goroutines, whatever their numbers
  for (const FiberId member : e.runnable) names.push_back(fiber_identity(trace, member));
  std::sort(names.begin(), names.end());
  std::string runnable;
  for (const std::string& name : names) runnable += (runnable.empty() ? "" : ",") + name;
  std::string text = fmt::format("goroutine {} at {} ({}, {}) with runnable {{{}}}", fiber_identity(trace, e.fiber),
                                 e.label, object, to_string(e.access), runnable);
  if (!e.detail.empty()) text += fmt::format(", detail \"{}\"", e.detail);
  return text;
}

}  // namespace

LenientReplay replay_leniently(const Program& program, StackPool& stacks, const Trace& recorded,
                               std::uint64_t max_steps) {
  LenientReplay result;
  if (recorded.program != program.name) {
    result.departure = fmt::format("the trace was recorded for program '{}', not '{}'", recorded.program, program.name);
    result.trace = recorded;  // nothing ran: the recording, ending as a divergence
    result.trace.outcome = Outcome{OutcomeKind::kDivergence, result.departure};
    return result;
  }
  Execution execution(stacks);
  LenientReplayStrategy strategy(recorded, [&execution](FiberId fiber) -> const std::string& {
    return execution.fiber_name(fiber);
  });
  strategy.begin_execution();
  execution.run(program, strategy, ExecutionSettings{max_steps, true, nullptr, races_on(recorded.provenance)});
  Trace& trace = result.trace;
  trace.program = program.name;
  trace.expect = recorded.expect;
  trace.provenance = recorded.provenance;
  trace.fibers = execution.fiber_names();
  trace.objects = execution.objects();
  trace.decisions = execution.decisions();
  trace.events = execution.events();
  trace.outcome = execution.outcome();

  const std::size_t common = std::min(trace.events.size(), recorded.events.size());
  while (result.steps_applied < common &&
         step_text(trace, trace.events[result.steps_applied]) ==
             step_text(recorded, recorded.events[result.steps_applied]))
    ++result.steps_applied;
  const std::uint64_t at = result.steps_applied;
  if (at < common) {
    result.departure = fmt::format("at step {}: the trace has {}; this run has {}", at,
                                   step_text(recorded, recorded.events[at]), step_text(trace, trace.events[at]));
  } else if (at < recorded.events.size()) {
    result.departure = fmt::format("at step {}: this run ends ({}) where the trace goes on with {}", at,
                                   describe(trace.outcome), step_text(recorded, recorded.events[at]));
  } else if (at < trace.events.size()) {
    result.departure = fmt::format("at step {}: the trace ends ({}) where this run goes on with {}", at,
                                   describe(recorded.outcome), step_text(trace, trace.events[at]));
  } else if (trace.outcome != recorded.outcome) {
    result.departure = fmt::format("after the last step: the trace ends with '{}', this run with '{}'",
                                   describe(recorded.outcome), describe(trace.outcome));
  }
  return result;
}

}  // namespace harness
