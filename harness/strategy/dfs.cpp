#include "harness/strategy/dfs.hpp"

#include <bit>

namespace harness {

bool DfsStrategy::begin_execution() {
  if (!path_.begin_execution(settings_.max_executions)) return false;
  preemptions_ = 0;
  return true;
}

FiberId DfsStrategy::alternative(const FiberSet& runnable, std::optional<FiberId> current, std::uint64_t which) {
  if (!current) return nth_member(runnable, which);
  if (which == 0) return *current;
  --which;  // the which-th of the others, ascending
  for (const FiberId member : runnable)
    if (member != *current && which-- == 0) return member;
  return *current;  // unreachable: which < size(runnable)
}

Answer<FiberId> DfsStrategy::choose_fiber(const SchedulingChoice& choice) {
  // The anchor: the fiber that could continue (+1), or 0 when none can.
  const std::uint32_t anchor = choice.current ? index(*choice.current) + 1 : 0;
  const Answer<std::uint64_t> which = path_.schedule(choice.runnable, anchor, choice.step, [&] {
    const bool budget_spent = settings_.preemption_bound && preemptions_ >= *settings_.preemption_bound;
    return (choice.current && budget_spent) ? std::uint64_t{1} : size(choice.runnable);
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
