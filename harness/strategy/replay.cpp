#include "harness/strategy/replay.hpp"

#include <fmt/format.h>

namespace harness {

std::string format_fiber_set(FiberSet set) {
  std::string text = "{";
  for (bool first = true; set != 0; set &= set - 1, first = false) {
    if (!first) text += ',';
    text += std::to_string(__builtin_ctzll(set));
  }
  return text + "}";
}

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
  if (decision->step != choice.step || decision->options != choice.runnable) {
    stop_reason_ = fmt::format("diverged from trace at step {}: the trace chose among {} at step {}, "
                               "this run chooses among {}",
                               choice.step, format_fiber_set(decision->options), decision->step,
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
                     FiberSet runnable) {
    const std::string object_text = object == kNoObject ? "-" : std::to_string(index(object));
    return fmt::format("goroutine {} at {} (object {}, {}) with runnable {}", fiber, label, object_text,
                       to_string(access), format_fiber_set(runnable));
  };
  const std::string found =
      describe(index(step.fiber), operation.label, operation.object, operation.access, step.runnable);
  if (step.step >= events_.size()) {
    stop_reason_ = fmt::format("diverged from trace at step {}: the trace ends after {} steps, this run goes on "
                               "with {}",
                               step.step, events_.size(), found);
    return diverged(stop_reason_);
  }
  const Event& expected = events_[step.step];
  if (expected.fiber != step.fiber || expected.label != operation.label || expected.object != operation.object ||
      expected.access != operation.access || expected.runnable != step.runnable) {
    stop_reason_ = fmt::format("diverged from trace at step {}: expected {}; found {}", step.step,
                               describe(index(expected.fiber), expected.label, expected.object, expected.access,
                                        expected.runnable),
                               found);
    return diverged(stop_reason_);
  }
  return std::nullopt;
}

}  // namespace harness
