// Follows a recorded decision list. With the recorded event log it also
// checks every step against the log (fiber, label, object, access, runnable
// set), so a replay that meets a different program stops at the first step
// where it diverges and says what was expected and what was found.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/decision.hpp"
#include "harness/event.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

class ReplayStrategy final : public Strategy, private StepObserver {
 public:
  /// REQUIRES: both vectors outlive the strategy. `events` may be empty
  /// (then only the decisions are followed and checked).
  ReplayStrategy(const std::vector<Decision>& decisions, const std::vector<Event>& events, Provenance provenance);

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome& outcome) override;
  Position position() const override { return Position{}; }
  Provenance provenance() const override { return provenance_; }
  /// Checks every step against the trace's log, when it has one.
  StepObserver* step_observer() override { return events_.empty() ? nullptr : this; }

 private:
  std::optional<Stop> observe_step(const StepView& step) override;
  static Stop diverged(std::string reason) { return Stop{StopKind::kDivergence, std::move(reason)}; }
  const Decision* next_decision(Decision::Kind kind, std::uint64_t step, const char* what);

  const std::vector<Decision>& decisions_;
  const std::vector<Event>& events_;
  Provenance provenance_;
  std::size_t next_ = 0;
  std::uint64_t steps_seen_ = 0;
  bool started_ = false;
  std::string stop_reason_;
};

/// "{0,2}" — how traces and messages print a runnable set.
std::string format_fiber_set(FiberSet set);

}  // namespace harness
