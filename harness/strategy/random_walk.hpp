// Seeded random walk: at every choice, a uniformly random runnable fiber (or
// data value). Execution i draws from its own stream Rng::derive(seed, i),
// so any execution can be recreated from the seed and its number; it is
// NumberedRuns, so ShardedStrategy divides the executions by number.
#pragma once

#include <cstdint>
#include <optional>

#include "harness/rng.hpp"
#include "harness/strategy/divisible.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

class RandomWalkStrategy final : public Strategy, public NumberedRuns {
 public:
  /// Executions 0 .. executions-1 of the seed's stream.
  RandomWalkStrategy(std::uint64_t seed, std::uint64_t executions) : seed_(seed), executions_(executions) {}

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome&) override { return std::nullopt; }
  Position position() const override { return Position{false, {current_}, current_}; }
  Provenance provenance() const override;
  StepObserver* step_observer() override { return nullptr; }
  bool skip_next() override {
    ++next_;
    return true;
  }

 private:
  std::uint64_t seed_;
  std::uint64_t executions_;
  std::uint64_t next_ = 0;     ///< number of the next execution to run
  std::uint64_t current_ = 0;  ///< number of the execution running
  Rng rng_{0};
};

}  // namespace harness
