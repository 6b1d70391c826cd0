#include "harness/scheduler.hpp"

#include <span>
#include <string>

#include <fmt/format.h>

namespace harness {

void Scheduler::begin(Strategy& strategy, StepObserver* watcher) {
  strategy_ = &strategy;
  observer_ = strategy.step_observer();
  watcher_ = watcher;
  decisions_.clear();
  high_words_.clear();
}

std::optional<Stop> Scheduler::end(const Outcome& outcome) {
  std::optional<Stop> stop = strategy_->end_execution(outcome);
  strategy_ = nullptr;
  return stop;
}

Answer<FiberId> Scheduler::choose_fiber(const SchedulingChoice& choice) {
  Answer<FiberId> answer = strategy_->choose_fiber(choice);
  if (!answer.chosen()) return answer;
  if (!contains(choice.runnable, answer.value())) {
    return Stop{StopKind::kDivergence,
                fmt::format("[interleave internal bug] strategy chose fiber {}, which is not runnable",
                            index(answer.value()))};
  }
  RecordedDecision& recorded = decisions_.emplace_back(RecordedDecision{
      Decision::Kind::kSchedule, 0, 0, choice.step, index(answer.value()), choice.runnable.low_word(), {}});
  if (!choice.runnable.within_first_word()) {
    const std::span<const std::uint64_t> high = choice.runnable.high_words();
    recorded.high_count = static_cast<std::uint8_t>(high.size());
    recorded.high_at = static_cast<std::uint32_t>(high_words_.size());
    high_words_.insert(high_words_.end(), high.begin(), high.end());
  }
  return answer;
}

Answer<std::uint64_t> Scheduler::choose_value(const DataChoice& choice) {
  Answer<std::uint64_t> answer = strategy_->choose_data(choice);
  if (!answer.chosen()) return answer;
  if (answer.value() >= choice.options) {
    return Stop{StopKind::kDivergence, fmt::format("[interleave internal bug] strategy chose value {} of {}",
                                                   answer.value(), choice.options)};
  }
  decisions_.push_back(
      RecordedDecision{Decision::Kind::kData, 0, 0, choice.after_steps, answer.value(), choice.options, choice.label});
  return answer;
}

std::optional<Stop> Scheduler::observe_step(const StepView& step) {
  if (observer_ != nullptr) {
    if (std::optional<Stop> stop = observer_->observe_step(step)) return stop;
  }
  if (watcher_ != nullptr) (void)watcher_->observe_step(step);
  return std::nullopt;
}

std::vector<Decision> Scheduler::decisions() const {
  std::vector<Decision> decisions;
  decisions.reserve(decisions_.size());
  for (const RecordedDecision& d : decisions_) {
    if (d.kind == Decision::Kind::kData) {
      decisions.push_back(Decision{d.kind, d.step, d.value, d.options, std::string(d.label), {}});
    } else {
      const std::span<const std::uint64_t> high(high_words_.data() + d.high_at, d.high_count);
      decisions.push_back(Decision{d.kind, d.step, d.value, 0, {}, FiberSet::from_words(d.options, high)});
    }
  }
  return decisions;
}

}  // namespace harness
