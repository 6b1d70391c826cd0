// The state of one run of a program: its fibers and their pending
// operations, objects, steps, event log and outcome, and the switching
// between fibers. Asking the strategy and recording its choices is the
// Scheduler's (harness/scheduler.hpp): the Execution calls it when two or
// more fibers could run, or the program draws a value.
//
// All fibers run on the calling OS thread. Scheduling is done inline: when a
// fiber reaches a preemption point the strategy is asked who goes next and
// the fiber switches straight to that one (or just continues), so a step
// costs at most one context switch. The host (the caller of run) is resumed
// only when the execution ends.
//
// An Execution is reused for many runs; it keeps its buffers between them.
// Thread safety: one Execution per thread; code under test reaches the active
// one through harness/current.hpp.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/context/fiber.hpp>

#include "harness/decision.hpp"
#include "harness/event.hpp"
#include "harness/fiber/fiber.hpp"
#include "harness/fiber/stack_pool.hpp"
#include "harness/object_info.hpp"
#include "harness/outcome.hpp"
#include "harness/program.hpp"
#include "harness/race/race_detector.hpp"
#include "harness/scheduler.hpp"
#include "harness/state/state_tracker.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

struct ExecutionSettings {
  /// Steps after which the run ends as kStepBound (a livelock, or a bound too low).
  std::uint64_t max_steps = 100000;
  /// Keep the step-by-step event log and notes (for traces; slower).
  bool record = false;
  /// Also sees every step, after the strategy's own observer (a tool that
  /// lists points); never stops a run. Null: none.
  StepObserver* watcher = nullptr;
  /// Track happens-before and report data races (harness/race/race_detector.hpp):
  /// a run that would end ok but had one ends as kRace.
  bool detect_races = false;
  /// Keep the program's state digest (harness/state/state_tracker.hpp) and
  /// show it to the strategy at every choice (stateful search).
  bool track_state = false;
};

class Execution {
 public:
  explicit Execution(StackPool& stacks);
  Execution(const Execution&) = delete;
  Execution& operator=(const Execution&) = delete;

  /// Runs `program` once under `strategy`, which must have had
  /// begin_execution() called. Returns the outcome; the decisions, events and
  /// names below stay valid until the next run.
  const Outcome& run(const Program& program, Strategy& strategy, const ExecutionSettings& settings);

  const Outcome& outcome() const { return outcome_; }
  /// How the strategy stopped the last run, if it did (the outcome is then
  /// kPruned or kDivergence).
  std::optional<StopKind> stop_kind() const { return stop_kind_; }
  /// The decisions of the last run, in order.
  std::vector<Decision> decisions() const { return scheduler_.decisions(); }
  const std::vector<Event>& events() const { return events_; }
  std::uint64_t steps() const { return steps_; }
  std::vector<std::string> fiber_names() const;
  const std::vector<ObjectInfo>& objects() const { return objects_; }

  // ---- The engine side of harness.hpp (called by code under test) ----
  FiberId spawn(std::string name, std::function<void()> body);
  void point(const Operation& operation);
  std::uint64_t choose(std::uint64_t options, std::string_view label);
  /// Ends the execution with a failure. From a fiber it never returns (the
  /// fiber is abandoned and unwound when the run ends); on the host it throws.
  [[noreturn]] void fail(OutcomeKind kind, std::string message);
  /// Ends the execution as the strategy would with `stop` (an interruption
  /// point uses it); never returns, as fail().
  [[noreturn]] void stop(const Stop& stop);
  /// As fail(), but on the host it records the failure and returns.
  void report_failure(OutcomeKind kind, std::string message);
  /// `source`: what reports the object's state to stateful search (null: nothing).
  ObjectId register_object(std::string_view kind, std::string name, const StateSource* source = nullptr);
  /// Stateful search (ExecutionSettings::track_state); see harness.hpp.
  bool tracking_state() const { return settings_.track_state; }
  void expose_state(const StateSource& source) {
    if (settings_.track_state) state_.add_source(source);
  }
  void state_untracked(std::string what) {
    if (settings_.track_state) state_.untracked(std::move(what));
  }
  void goroutine_state_is(const StateDigest& local) {
    if (settings_.track_state && current_ != nullptr) state_.set_local(index(current_->id), local);
  }
  void goroutines_leave_no_state() {
    if (settings_.track_state) state_.forget_finished();
  }
  void at_end(std::function<void()> check);
  /// A goroutine recovered a panic: an execution that ends ok says so.
  void recovered(std::string message);
  bool recording() const { return settings_.record; }
  /// Data-race detection (ExecutionSettings::detect_races): from goroutines
  /// only; the setup happens before them all, end checks after.
  bool detecting_races() const { return settings_.detect_races && current_ != nullptr && !tearing_down_; }
  void race_access(ObjectId object, bool write, std::string_view what);
  void race_acquire(ObjectId sync, unsigned part) { races_.acquire(current_->id, sync, part); }
  void race_release(ObjectId sync, unsigned part) { races_.release(current_->id, sync, part); }
  void race_join(FiberId joined) { races_.join(current_->id, joined); }
  void note(std::string detail);
  /// The running fiber; REQUIRES: called from a fiber.
  FiberId current_fiber() const { return current_->id; }
  bool in_fiber() const { return current_ != nullptr; }
  const JoinGate& join_gate(FiberId fiber) const { return fibers_[index(fiber)]->join_gate; }
  const std::string& fiber_name(FiberId fiber) const { return fibers_[index(fiber)]->name; }
  /// Distinguishes runs: shims registered in an earlier run register again.
  std::uint64_t generation() const { return generation_; }
  /// True while abandoned fibers are being unwound: preemption points are
  /// then no-ops.
  bool tearing_down() const { return tearing_down_; }

 private:
  void reset(const ExecutionSettings& settings);
  /// pick() while draining: the running goroutine if it can go on, else the
  /// lowest runnable; null when none is left or the drain budget is spent.
  Fiber* pick_draining(Fiber* yielding, const FiberSet& runnable);
  Fiber* pick(Fiber* yielding);
  void record_step(Fiber& chosen, const FiberSet& runnable);
  std::string race_message() const;
  std::string race_steps() const;
  void set_failure(OutcomeKind kind, std::string message);
  /// The strategy stopped the run: record why (see stop_kind()).
  void apply_stop(const Stop& stop);
  void transfer(boost::context::fiber* save_into, Fiber* target);
  void run_body(Fiber& fiber);
  boost::context::fiber finish(Fiber& fiber);
  std::string deadlock_report() const;
  void teardown();

  StackPool& stacks_;
  Scheduler scheduler_;
  ExecutionSettings settings_;
  std::optional<StopKind> stop_kind_;

  RaceDetector races_;
  /// fibers_[i] is FiberId{i}; the first fiber_count_ belong to this run.
  /// They are kept (not freed) between runs, and held by pointer because
  /// running fibers refer to one another (Fiber::spawner, current_).
  std::vector<std::unique_ptr<Fiber>> fibers_;
  std::vector<Operation> pending_;  ///< pending_[i]: the step fiber i takes when next scheduled
  /// pick()'s question to the strategy, kept so that its runnable set is
  /// built in place and its words are reused: no copy, no allocation per step.
  SchedulingChoice choice_;
  std::uint32_t fiber_count_ = 0;
  Fiber* current_ = nullptr;                 ///< null: the host is running
  boost::context::fiber host_context_;       ///< the suspended host while fibers run
  boost::context::fiber* switching_from_ = nullptr;  ///< where the switcher's context goes
  /// The host's stack as ASan knows it (ASan builds only; see
  /// harness/fiber/sanitizer.hpp).
  sanitizer::StackBounds host_stack_;

  std::uint64_t steps_ = 0;
  std::uint64_t generation_ = 0;
  bool failed_ = false;
  bool tearing_down_ = false;
  /// A run that has its verdict (a failure in a goroutine, or a stop as
  /// redundant or another shard's) is not abandoned at once: its other
  /// goroutines run on, unobserved (no strategy, no events, no state, no
  /// step counted), in a fixed order, for up to kDrainSteps steps, so that
  /// they end by themselves. Unwinding an abandoned fiber's stack costs
  /// about 100,000 instructions; a step, a few hundred. Whatever happens
  /// while draining changes nothing: the outcome is already set (a later
  /// failure is its echo). A goroutine that failed cannot go on: it is
  /// abandoned (and unwound) as before. Not for a divergence, an
  /// interruption (Ctrl-C must end at once) or the step bound.
  static constexpr std::uint64_t kDrainSteps = 256;
  bool draining_ = false;
  std::uint64_t drain_left_ = 0;
  /// The run has its verdict (see above): drain it if it may be; whether
  /// it is draining.
  bool start_draining();
  /// A choice's view of the program's state (ExecutionSettings::track_state):
  /// its digest, or why it is not known; null and empty when not tracking
  /// (inline: it is on every choice's path).
  void show_state(const StateDigest*& state, std::string_view& unknown) {
    state = nullptr;
    unknown = {};
    if (settings_.track_state) show_tracked_state(state, unknown);
  }
  void show_tracked_state(const StateDigest*& state, std::string_view& unknown);
  Outcome outcome_;
  std::optional<std::string> first_recovered_;  ///< the first panic a goroutine recovered
  std::vector<Event> events_;
  std::vector<ObjectInfo> objects_;
  std::vector<std::function<void()>> end_checks_;
  StateTracker state_;     ///< only with ExecutionSettings::track_state
  StateDigest state_now_;  ///< the digest the strategy is shown at a choice
};

}  // namespace harness
