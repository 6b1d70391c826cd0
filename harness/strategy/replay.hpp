// Replaying a recorded schedule, two ways.
//
// ReplayStrategy follows a recorded decision list exactly. With the recorded
// event log it also checks every step against the log (fiber, label, object,
// access, runnable set), so a replay that meets a different program stops at
// the first step where it diverges and says what was expected and what was
// found.
//
// LenientReplayStrategy (and replay_leniently) follows a recorded schedule
// as far as it applies to a program that may have changed since, a fix
// above all, and never stops a run: at step i it runs the goroutine that
// took step i in the recording, found by name (and, among goroutines of the
// same name, by order of creation), when that goroutine is runnable; else it
// continues deterministically: the goroutine that just ran, if it can go on
// (no preemption), else the lowest-numbered runnable one. Data choices take
// the next recorded value drawn with the same label, when it is in range,
// else 0. On the unchanged program this is the recorded schedule exactly.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "harness/decision.hpp"
#include "harness/event.hpp"
#include "harness/fiber/stack_pool.hpp"
#include "harness/program.hpp"
#include "harness/strategy/strategy.hpp"
#include "harness/trace/trace.hpp"

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

class LenientReplayStrategy final : public Strategy {
 public:
  /// The name of a fiber of the running execution (the engine numbers
  /// fibers, the recording names them: a changed program may number them
  /// otherwise).
  using FiberNames = std::function<const std::string&(FiberId)>;
  /// REQUIRES: `recorded` outlives the strategy. Runs one execution.
  LenientReplayStrategy(const Trace& recorded, FiberNames name_of);

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome&) override { return std::nullopt; }
  Position position() const override { return Position{}; }
  Provenance provenance() const override { return recorded_.provenance; }
  StepObserver* step_observer() override { return nullptr; }

 private:
  /// The recorded fiber that took step `step`; nullopt beyond the recording.
  std::optional<FiberId> recorded_fiber_at(std::uint64_t step) const;
  /// Rank of `fiber` among the running execution's fibers of its name, in
  /// creation order.
  std::size_t current_rank(FiberId fiber) const;

  const Trace& recorded_;
  FiberNames name_of_;
  std::size_t next_data_ = 0;
  bool started_ = false;
};

/// A recorded schedule run against a program as far as it applies.
struct LenientReplay {
  /// What this run did, under the recording's header (program, expect,
  /// provenance): for an unchanged program, the recorded trace itself.
  Trace trace;
  /// The leading steps that are the recording's: the same goroutine (by
  /// name), operation, object (kind and name), access, runnable goroutines
  /// and detail.
  std::uint64_t steps_applied = 0;
  /// Empty when every step and the outcome are the recording's; else where
  /// the run left the recording and how: "at step 3: the trace has …; this
  /// run has …", or "the outcome differs: …".
  std::string departure;
};

/// Runs `program` once under a LenientReplayStrategy of `recorded`. A
/// program of another name is not run: steps_applied 0, the departure says
/// so, and the trace ends as a divergence.
LenientReplay replay_leniently(const Program& program, StackPool& stacks, const Trace& recorded,
                               std::uint64_t max_steps);

}  // namespace harness
