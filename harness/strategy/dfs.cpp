#include "harness/strategy/dfs.hpp"

#include <bit>

#include <fmt/format.h>

namespace harness {

bool DfsStrategy::begin_execution() {
  if (exhausted_) return false;
  if (started_) {
    while (!path_.empty() && path_.back().taken + 1 >= path_.back().count) path_.pop_back();
    if (path_.empty()) {
      exhausted_ = true;
      return false;
    }
    ++path_.back().taken;
  }
  if (executions_ >= settings_.max_executions) return false;
  started_ = true;
  depth_ = 0;
  preemptions_ = 0;
  return true;
}

BranchTaken DfsStrategy::last_branch() const {
  const Branch& branch = path_[depth_ - 1];
  return BranchTaken{branch.taken, branch.count};
}

std::vector<std::uint64_t> DfsStrategy::order_key() const {
  std::vector<std::uint64_t> key;
  for (std::size_t i = 0; i < depth_ && i < path_.size(); ++i) key.push_back(path_[i].taken);
  return key;
}

FiberId DfsStrategy::alternative(const Branch& branch, std::uint64_t which) {
  FiberSet rest = branch.runnable;
  if (branch.current) {
    if (which == 0) return *branch.current;
    rest &= ~bit(*branch.current);
    --which;
  }
  for (; which > 0; --which) rest &= rest - 1;  // drop the lowest set bit
  return FiberId{static_cast<std::uint32_t>(std::countr_zero(rest))};
}

Answer<FiberId> DfsStrategy::choose_fiber(const SchedulingChoice& choice) {
  if (depth_ == path_.size()) {
    Branch branch;
    branch.runnable = choice.runnable;
    branch.current = choice.current;
    const bool budget_spent = settings_.preemption_bound && preemptions_ >= *settings_.preemption_bound;
    branch.count = (choice.current && budget_spent) ? 1 : static_cast<std::uint64_t>(std::popcount(choice.runnable));
    path_.push_back(branch);
  }
  const Branch& branch = path_[depth_];
  if (branch.data || branch.runnable != choice.runnable || branch.current != choice.current) {
    return Stop{StopKind::kDivergence,
                fmt::format("the program is not deterministic: at step {} the runnable set differs from an earlier "
                            "run with the same choices (all nondeterminism must go through harness::choose)",
                            choice.step)};
  }
  ++depth_;
  const FiberId chosen = alternative(branch, branch.taken);
  if (choice.current && chosen != *choice.current) ++preemptions_;
  return chosen;
}

Answer<std::uint64_t> DfsStrategy::choose_data(const DataChoice& choice) {
  if (depth_ == path_.size()) {
    Branch branch;
    branch.data = true;
    branch.options = choice.options;
    branch.count = choice.options;
    path_.push_back(branch);
  }
  const Branch& branch = path_[depth_];
  if (!branch.data || branch.options != choice.options) {
    return Stop{StopKind::kDivergence,
                fmt::format("the program is not deterministic: after {} steps it asks for a {} choice an earlier run "
                            "did not",
                            choice.after_steps, choice.label)};
  }
  ++depth_;
  return branch.taken;
}

std::optional<Stop> DfsStrategy::end_execution(const Outcome& outcome) {
  if (outcome.kind == OutcomeKind::kPruned) return std::nullopt;
  ++executions_;  // the cap counts the runs that were not cut short
  // Every branch of the replayed prefix must be met again; a run that ends
  // before reaching them took another path with the same choices.
  if (outcome.kind == OutcomeKind::kDivergence || depth_ >= path_.size()) return std::nullopt;
  const std::size_t met = depth_;
  path_.resize(depth_);  // the unreached branches can never be explored
  return Stop{StopKind::kDivergence,
              fmt::format("the program is not deterministic: this run made {} choices where an earlier run with the "
                          "same choices made more (all nondeterminism must go through harness::choose)",
                          met)};
}

Provenance DfsStrategy::provenance() const {
  return {{"strategy", "dfs"},
          {"preemption-bound", settings_.preemption_bound ? std::to_string(*settings_.preemption_bound) : "none"}};
}

}  // namespace harness
