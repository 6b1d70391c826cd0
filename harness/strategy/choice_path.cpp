#include "harness/strategy/choice_path.hpp"

#include <fmt/format.h>

namespace harness {

bool ChoicePath::begin_execution(std::uint64_t cap) {
  if (exhausted_) return false;
  if (started_) {
    while (!path_.empty() && path_.back().taken + 1 >= path_.back().count) path_.pop_back();
    if (path_.empty()) {
      exhausted_ = true;
      return false;
    }
    ++path_.back().taken;
  }
  if (executions_ >= cap) return false;
  started_ = true;
  depth_ = 0;
  return true;
}

Stop ChoicePath::schedule_diverged(std::uint64_t step) {
  return Stop{StopKind::kDivergence,
              fmt::format("the program is not deterministic: at step {} the runnable set differs from an earlier "
                          "run with the same choices (all nondeterminism must go through harness::choose)",
                          step)};
}

Answer<std::uint64_t> ChoicePath::data(const DataChoice& choice) {
  if (depth_ == path_.size()) path_.push_back(Branch{true, {}, 0, choice.options, 0, choice.options});
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

std::optional<Stop> ChoicePath::end_execution(const Outcome& outcome) {
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

BranchTaken ChoicePath::last_branch() const {
  const Branch& branch = path_[depth_ - 1];
  return BranchTaken{branch.taken, branch.count};
}

std::vector<std::uint64_t> ChoicePath::order_key() const {
  std::vector<std::uint64_t> key;
  for (std::size_t i = 0; i < depth_ && i < path_.size(); ++i) key.push_back(path_[i].taken);
  return key;
}

}  // namespace harness
