#include "harness/strategy/dfs.hpp"

#include <bit>

namespace harness {

bool DfsStrategy::begin_execution() {
  if (!path_.begin_execution(settings_.max_executions)) return false;
  preemptions_ = 0;
  return true;
}

FiberId DfsStrategy::alternative(FiberSet runnable, std::optional<FiberId> current, std::uint64_t which) {
  FiberSet rest = runnable;
  if (current) {
    if (which == 0) return *current;
    rest &= ~bit(*current);
    --which;
  }
  for (; which > 0; --which) rest &= rest - 1;  // drop the lowest set bit
  return FiberId{static_cast<std::uint32_t>(std::countr_zero(rest))};
}

Answer<FiberId> DfsStrategy::choose_fiber(const SchedulingChoice& choice) {
  // The anchor: the fiber that could continue (+1), or 0 when none can.
  const std::uint32_t anchor = choice.current ? index(*choice.current) + 1 : 0;
  const Answer<std::uint64_t> which = path_.schedule(choice.runnable, anchor, choice.step, [&] {
    const bool budget_spent = settings_.preemption_bound && preemptions_ >= *settings_.preemption_bound;
    return (choice.current && budget_spent) ? std::uint64_t{1} : static_cast<std::uint64_t>(std::popcount(choice.runnable));
  });
  if (!which.chosen()) return which.stop();
  const FiberId chosen = alternative(choice.runnable, choice.current, which.value());
  if (choice.current && chosen != *choice.current) ++preemptions_;
  return chosen;
}

Answer<std::uint64_t> DfsStrategy::choose_data(const DataChoice& choice) { return path_.data(choice); }

std::optional<Stop> DfsStrategy::end_execution(const Outcome& outcome) { return path_.end_execution(outcome); }

Provenance DfsStrategy::provenance() const {
  return {{"strategy", "dfs"},
          {"preemption-bound", settings_.preemption_bound ? std::to_string(*settings_.preemption_bound) : "none"}};
}

}  // namespace harness
