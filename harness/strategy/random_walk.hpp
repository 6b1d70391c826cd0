// Seeded random walk: at every choice, a uniformly random runnable fiber (or
// data value). Execution i draws from its own stream Rng::derive(seed, i),
// so any execution can be recreated from the seed and its number.
#pragma once

#include <cstdint>
#include <optional>

#include "harness/rng.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

/// The k-th member (from 0, ascending) of a non-empty fiber set.
FiberId nth_member(FiberSet set, std::uint64_t k);

class RandomWalkStrategy final : public Strategy {
 public:
  RandomWalkStrategy(std::uint64_t seed, std::uint64_t executions) : seed_(seed), executions_(executions) {}

  bool begin_execution() override;
  std::optional<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  std::optional<std::uint64_t> choose_data(const DataChoice& choice) override;
  Provenance provenance() const override;

 private:
  std::uint64_t seed_;
  std::uint64_t executions_;
  std::uint64_t started_ = 0;
  Rng rng_{0};
};

}  // namespace harness
