#include "harness/strategy/random_walk.hpp"

#include <bit>
#include <string>

namespace harness {

FiberId nth_member(FiberSet set, std::uint64_t k) {
  for (; k > 0; --k) set &= set - 1;
  return FiberId{static_cast<std::uint32_t>(std::countr_zero(set))};
}

bool RandomWalkStrategy::begin_execution() {
  if (next_ >= executions_) return false;
  current_ = next_;
  rng_ = Rng(Rng::derive(seed_, current_));
  next_ += static_cast<std::uint64_t>(shard_.count) * shard_.threads;
  return true;
}

Answer<FiberId> RandomWalkStrategy::choose_fiber(const SchedulingChoice& choice) {
  return nth_member(choice.runnable, rng_.below(static_cast<std::uint64_t>(std::popcount(choice.runnable))));
}

Answer<std::uint64_t> RandomWalkStrategy::choose_data(const DataChoice& choice) {
  return rng_.below(choice.options);
}

Provenance RandomWalkStrategy::provenance() const {
  return {{"strategy", "random"}, {"seed", std::to_string(seed_)}};
}

}  // namespace harness
