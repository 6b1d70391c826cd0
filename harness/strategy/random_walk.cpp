#include "harness/strategy/random_walk.hpp"

#include <bit>
#include <string>

namespace harness {

bool RandomWalkStrategy::begin_execution() {
  if (next_ >= executions_) return false;
  current_ = next_;
  rng_ = Rng(Rng::derive(seed_, current_));
  ++next_;
  return true;
}

Answer<FiberId> RandomWalkStrategy::choose_fiber(const SchedulingChoice& choice) {
  return nth_member(choice.runnable, rng_.below(size(choice.runnable)));
}

Answer<std::uint64_t> RandomWalkStrategy::choose_data(const DataChoice& choice) {
  return rng_.below(choice.options);
}

Provenance RandomWalkStrategy::provenance() const {
  return {{"strategy", "random"}, {"seed", std::to_string(seed_)}};
}

}  // namespace harness
