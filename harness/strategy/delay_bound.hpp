// Delay-bounded exhaustive search (Emmi, Qadeer & Rakamarić, "Delay-bounded
// scheduling", POPL 2011), with the deterministic scheduler SCTBench uses
// (Thomson, Donaldson & Betts, "Concurrency testing using controlled
// schedulers: an empirical study"): non-preemptive round robin over fiber ids.
//
// The deterministic scheduler keeps the running fiber while it can continue;
// when it finishes or blocks, it takes the next runnable fiber after it in
// cyclic id order (fiber 0 at the start). A *delay* skips the fiber it would
// take and moves on to the next runnable one in that cyclic order, so
// choosing the j-th runnable fiber of the order (from 0) costs j delays;
// fibers that cannot run are skipped for free. With a bound D the search
// explores every schedule with at most D delays, each exactly once, and every
// data choice. Bound 0 is the deterministic schedule alone: one execution for
// a program without data choices (preemption bound 0 still runs every order
// of whole fibers). Each preemption costs at least one delay, so the schedules
// with at most D delays have at most D preemptions.
//
// Stateless, as DfsStrategy: every execution runs from the start, the path
// of choices is kept, and the next execution replays its prefix and takes
// the next untried alternative at the deepest branch that has one.
// Alternatives are tried by ascending cost. The running fiber is known from
// the steps themselves (the strategy observes them), so a fiber that ran
// alone between two choices still sets where the round robin goes on.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "harness/strategy/choice_path.hpp"
#include "harness/strategy/divisible.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

struct DelayBoundSettings {
  std::uint32_t delay_bound = 0;
  /// Cap on the executions run to their end, as DfsSettings's.
  std::uint64_t max_executions = UINT64_MAX;
};

class DelayBoundStrategy final : public Strategy, public ChoiceTree, private StepObserver {
 public:
  explicit DelayBoundStrategy(DelayBoundSettings settings = {}) : settings_(settings) {}

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome& outcome) override;
  Position position() const override { return Position{exhausted(), order_key(), std::nullopt}; }
  Provenance provenance() const override;
  StepObserver* step_observer() override { return this; }
  BranchTaken last_branch() const override { return path_.last_branch(); }
  bool exhausted() const { return path_.exhausted(); }
  /// The alternatives taken at the branches of the execution just run.
  std::vector<std::uint64_t> order_key() const { return path_.order_key(); }
  /// Delays spent by the execution under way (or just run).
  std::uint32_t delays() const { return delays_; }

  /// The fiber `delays` places after `start` in cyclic id order among
  /// `runnable` (0: the first runnable fiber at or after `start`).
  /// REQUIRES: delays < size(runnable).
  static FiberId round_robin(const FiberSet& runnable, std::uint32_t start, std::uint64_t delays);

 private:
  std::optional<Stop> observe_step(const StepView& step) override;

  DelayBoundSettings settings_;
  /// Schedule branches are anchored where the round robin starts; the
  /// alternative taken is the number of delays it costs.
  ChoicePath path_;
  std::uint32_t delays_ = 0;
  std::optional<FiberId> last_;  ///< the fiber that took the last step
};

}  // namespace harness
