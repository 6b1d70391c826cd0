#include "harness/strategy/sharded.hpp"

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace harness {
namespace {

/// How finely a stage divides: see tree_run_in_part.
constexpr std::uint64_t kPrefixesPerPart = 16;

Stop other_part() { return Stop{StopKind::kOtherShard, std::string(kOtherShardReason)}; }

std::string name_of(const Strategy& strategy) {
  for (const auto& [key, value] : strategy.provenance())
    if (key == "strategy") return value;
  return "this strategy";
}

}  // namespace

bool divisible(const Strategy& strategy) {
  return dynamic_cast<const ChoiceTree*>(&strategy) != nullptr ||
         dynamic_cast<const NumberedRuns*>(&strategy) != nullptr;
}

ShardedStrategy::ShardedStrategy(Strategy& inner, Shard shard) : ForwardingStrategy(inner), shard_(shard) {
  if (shard.index >= shard.count || shard.thread >= shard.threads) {
    throw std::invalid_argument(fmt::format("no such part: shard {} of {}, thread {} of {}", shard.index, shard.count,
                                            shard.thread, shard.threads));
  }
  if (shard.whole()) return;  // every run is this part's: nothing to divide
  runs_ = dynamic_cast<NumberedRuns*>(&inner);
  if (runs_ == nullptr) tree_ = dynamic_cast<ChoiceTree*>(&inner);
  if (runs_ == nullptr && tree_ == nullptr)
    throw std::invalid_argument(
        fmt::format("{} cannot be divided into parts exactly: it explores whole", name_of(inner)));
}

bool ShardedStrategy::number_in_part(std::uint64_t number) const {
  return number % shard_.count == shard_.index && (number / shard_.count) % shard_.threads == shard_.thread;
}

bool ShardedStrategy::begin_execution() {
  stage_ = 0;
  key_ = 0;
  prefixes_ = 1;
  if (runs_ != nullptr) {
    while (!number_in_part(next_number_) && runs_->skip_next()) ++next_number_;
    number_mine_ = number_in_part(next_number_);
    if (!inner().begin_execution()) return false;
    ++next_number_;
    return true;
  }
  return inner().begin_execution();
}

bool ShardedStrategy::tree_run_in_part(BranchTaken branch) {
  for (; stage_ < 2; ++stage_, key_ = 0, prefixes_ = 1) {
    const std::uint32_t parts = stage_ == 0 ? shard_.count : shard_.threads;
    if (parts > 1) break;  // this stage divides: fold the branch in
  }
  if (stage_ == 2) return true;
  const std::uint32_t parts = stage_ == 0 ? shard_.count : shard_.threads;
  const std::uint32_t mine = stage_ == 0 ? shard_.index : shard_.thread;
  key_ = key_ * branch.count + branch.taken;
  prefixes_ *= branch.count;
  // Not enough branches yet to decide: each part gets kPrefixesPerPart
  // prefixes or more, dealt round robin, so that subtrees of unequal size
  // even out (with one prefix per part, three goroutines' first branch
  // gave one of two threads twice the other's work).
  if (prefixes_ < std::uint64_t{parts} * kPrefixesPerPart) return true;
  if (key_ % parts != mine) return false;
  ++stage_;
  key_ = 0;
  prefixes_ = 1;
  return true;
}

bool ShardedStrategy::ended_tree_run_in_part() const {
  if (stage_ == 0) {
    if (shard_.count > 1 && key_ % shard_.count != shard_.index) return false;
    return shard_.thread == 0;
  }
  if (stage_ == 1) return key_ % shard_.threads == shard_.thread;
  return true;
}

Answer<FiberId> ShardedStrategy::choose_fiber(const SchedulingChoice& choice) {
  Answer<FiberId> answer = inner().choose_fiber(choice);
  if (tree_ != nullptr && answer.chosen() && !tree_run_in_part(tree_->last_branch())) return other_part();
  return answer;
}

Answer<std::uint64_t> ShardedStrategy::choose_data(const DataChoice& choice) {
  Answer<std::uint64_t> answer = inner().choose_data(choice);
  if (tree_ != nullptr && answer.chosen() && !tree_run_in_part(tree_->last_branch())) return other_part();
  return answer;
}

std::optional<Stop> ShardedStrategy::end_execution(const Outcome& outcome) {
  // A run cut short (by this wrapper at a branch, by the inner strategy, by
  // a stop request) stays as it is.
  const bool mine = runs_ != nullptr ? number_mine_ : tree_ != nullptr ? ended_tree_run_in_part() : true;
  if (outcome.kind == OutcomeKind::kPruned || mine) return inner().end_execution(outcome);
  // Another part's run, seen whole: to the inner strategy it was cut short.
  (void)inner().end_execution(Outcome{OutcomeKind::kPruned, std::string(kOtherShardReason)});
  return other_part();
}

}  // namespace harness
