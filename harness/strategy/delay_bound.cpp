#include "harness/strategy/delay_bound.hpp"

#include <algorithm>
#include <string>

#include <fmt/format.h>

namespace harness {

bool DelayBoundStrategy::begin_execution() {
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
  delays_ = 0;
  last_.reset();
  return true;
}

BranchTaken DelayBoundStrategy::last_branch() const {
  const Branch& branch = path_[depth_ - 1];
  return BranchTaken{branch.taken, branch.count};
}

std::vector<std::uint64_t> DelayBoundStrategy::order_key() const {
  std::vector<std::uint64_t> key;
  for (std::size_t i = 0; i < depth_ && i < path_.size(); ++i) key.push_back(path_[i].taken);
  return key;
}

FiberId DelayBoundStrategy::round_robin(FiberSet runnable, std::uint32_t start, std::uint64_t delays) {
  const FiberSet below = start == 0 ? 0 : (FiberSet{1} << start) - 1;
  const FiberSet from_start = runnable & ~below;  // ids start, start + 1, …, then wrap to 0, 1, …
  if (delays < size(from_start)) return nth_member(from_start, delays);
  return nth_member(runnable & below, delays - size(from_start));
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
  if (depth_ == path_.size()) {
    Branch branch;
    branch.runnable = choice.runnable;
    branch.start = start;
    const std::uint64_t budget_left = settings_.delay_bound - delays_;
    branch.count = std::min<std::uint64_t>(size(choice.runnable), budget_left + 1);
    path_.push_back(branch);
  }
  const Branch& branch = path_[depth_];
  if (branch.data || branch.runnable != choice.runnable || branch.start != start) {
    return Stop{StopKind::kDivergence,
                fmt::format("the program is not deterministic: at step {} the runnable set differs from an earlier "
                            "run with the same choices (all nondeterminism must go through harness::choose)",
                            choice.step)};
  }
  ++depth_;
  delays_ += static_cast<std::uint32_t>(branch.taken);
  return round_robin(branch.runnable, branch.start, branch.taken);
}

Answer<std::uint64_t> DelayBoundStrategy::choose_data(const DataChoice& choice) {
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

std::optional<Stop> DelayBoundStrategy::end_execution(const Outcome& outcome) {
  if (outcome.kind == OutcomeKind::kPruned) return std::nullopt;
  ++executions_;  // the cap counts the runs that were not cut short
  if (outcome.kind == OutcomeKind::kDivergence || depth_ >= path_.size()) return std::nullopt;
  const std::size_t met = depth_;
  path_.resize(depth_);  // the unreached branches can never be explored
  return Stop{StopKind::kDivergence,
              fmt::format("the program is not deterministic: this run made {} choices where an earlier run with the "
                          "same choices made more (all nondeterminism must go through harness::choose)",
                          met)};
}

Provenance DelayBoundStrategy::provenance() const {
  return {{"strategy", "delay"}, {"delay-bound", std::to_string(settings_.delay_bound)}};
}

}  // namespace harness
