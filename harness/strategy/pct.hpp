// Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi,
// Nagarakatte, "A Randomized Scheduler with Probabilistic Guarantees of
// Finding Bugs", ASPLOS 2010), as shuttle's and Coyote's PCT schedulers do it.
//
// Each execution gives every fiber a random distinct priority and picks d-1
// random change points among the scheduling choices; the highest-priority
// runnable fiber always runs, and at the i-th change point the fiber that
// would run drops to priority i, below every initial priority. A bug of depth
// d is then found with probability at least 1/(n k^(d-1)).
//
// Where we depart from the paper:
// - k (the number of steps) is not known in advance: we use the largest
//   number of scheduling choices seen in earlier executions (at least d),
//   as shuttle does, learnt over the first kCalibration executions and then
//   fixed, so that every part of a divided space (which all run those
//   first ones: see skip_next) uses the same k as an undivided run; only
//   choices with two or more runnable fibers count.
// - Change points are drawn independently, so two may coincide (fewer
//   effective changes); the paper draws them without repetition.
// - A fiber spawned later is inserted at a uniformly random position of the
//   priority order, rather than all priorities being drawn up front.
// - Data choices are uniform random.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "harness/rng.hpp"
#include "harness/strategy/divisible.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

/// NumberedRuns: execution i is decided by the seed, i and k.
class PctStrategy final : public Strategy, public NumberedRuns {
 public:
  PctStrategy(std::uint64_t seed, std::uint64_t executions, std::uint32_t depth);

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome&) override { return std::nullopt; }
  Position position() const override { return Position{false, {current_}, current_}; }
  Provenance provenance() const override;
  StepObserver* step_observer() override { return nullptr; }
  /// The calibration executions cannot be skipped: k is learnt from them.
  bool skip_next() override;

  /// Executions over which k is learnt before it is fixed.
  static constexpr std::uint64_t kCalibration = 16;

 private:
  void admit_new_fibers(const FiberSet& runnable);

  std::uint64_t seed_;
  std::uint64_t executions_;
  std::uint32_t depth_;
  std::uint64_t next_ = kCalibration;  ///< number of the next execution after calibration
  std::uint64_t calibrated_ = 0;       ///< calibration executions run so far
  std::uint64_t current_ = 0;  ///< number of the execution running
  std::uint64_t choices_estimate_ = 0;   ///< k: the most choices any execution made
  Rng rng_{0};

  // Per execution.
  std::vector<FiberId> order_;                ///< highest priority first
  FiberSet admitted_;                         ///< fibers that have a priority
  std::uint32_t demoted_ = 0;                 ///< fibers at the tail with change-point priorities
  std::vector<std::uint64_t> change_points_;  ///< choice indices, ascending
  std::uint64_t choices_ = 0;                 ///< choices made so far
};

}  // namespace harness
