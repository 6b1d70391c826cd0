#include "harness/strategy/delay_bound.hpp"

#include <algorithm>
#include <string>

namespace harness {

bool DelayBoundStrategy::begin_execution() {
  if (!path_.begin_execution(settings_.max_executions)) return false;
  delays_ = 0;
  last_.reset();
  return true;
}

FiberId DelayBoundStrategy::round_robin(const FiberSet& runnable, std::uint32_t start, std::uint64_t delays) {
  const FiberSet from_start = runnable.from(start);  // ids start, start + 1, …, then wrap to 0, 1, …
  if (delays < size(from_start)) return nth_member(from_start, delays);
  return nth_member(runnable.below(start), delays - size(from_start));
}

std::optional<Stop> DelayBoundStrategy::observe_step(const StepView& step) {
  last_ = step.fiber;
  return std::nullopt;
}

Answer<FiberId> DelayBoundStrategy::choose_fiber(const SchedulingChoice& choice) {
  // The deterministic scheduler keeps the fiber that can continue; after one
  // that finished or blocked it goes on with the next id (from 0 at first).
  const std::uint32_t start =
      choice.current ? index(*choice.current) : last_ ? (index(*last_) + 1) % kMaxFibers : 0;
  const Answer<std::uint64_t> delays = path_.schedule(choice.runnable, start, choice.step, [&] {
    const std::uint64_t budget_left = settings_.delay_bound - delays_;
    return std::min<std::uint64_t>(size(choice.runnable), budget_left + 1);
  });
  if (!delays.chosen()) return delays.stop();
  delays_ += static_cast<std::uint32_t>(delays.value());
  return round_robin(choice.runnable, start, delays.value());
}

Answer<std::uint64_t> DelayBoundStrategy::choose_data(const DataChoice& choice) { return path_.data(choice); }

std::optional<Stop> DelayBoundStrategy::end_execution(const Outcome& outcome) { return path_.end_execution(outcome); }

Provenance DelayBoundStrategy::provenance() const {
  return {{"strategy", "delay"}, {"delay-bound", std::to_string(settings_.delay_bound)}};
}

}  // namespace harness
