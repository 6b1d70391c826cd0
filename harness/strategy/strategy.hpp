// The strategy interface: the engine asks, the strategy answers.
//
// Protocol, per execution:
//   begin_execution()            -> false ends the exploration
//   { choose_fiber() | choose_data() | observe_step() }*   in program order
//   end_execution(outcome)
//   position()                   -> exhausted? where does this run sort?
// choose_fiber is called only when at least two fibers are runnable (a forced
// step is no choice), choose_data only when there are at least two values;
// each returns a choice or a typed Stop, the only way to stop a run.
// observe_step goes to the strategy's StepObserver, if it has one; other
// observers (a tool listing points) are passed to the engine beside the
// strategy, never by wrapping it.
// A strategy sees candidates and their pending operations, never a fiber.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "harness/fiber_set.hpp"
#include "harness/ids.hpp"
#include "harness/operation.hpp"
#include "harness/outcome.hpp"
#include "harness/provenance.hpp"
#include "harness/state/state_digest.hpp"

namespace harness {

struct SchedulingChoice {
  std::uint64_t step = 0;          ///< index of the step being chosen
  FiberSet runnable;           ///< at least two fibers
  /// The fiber that just announced its next operation and could go on
  /// running; choosing another one is a preemption. Empty when the previous
  /// fiber finished or blocked (switching is then free).
  std::optional<FiberId> current;
  const Operation* pending = nullptr;  ///< pending[i]: fiber i's next operation
  /// The program's state here (ExecutionSettings::track_state, and every
  /// object reports its state), else null.
  const StateDigest* state = nullptr;
  /// Tracking, but the state is not known: which object keeps it ("mutex 'mu'").
  std::string_view state_unknown;
};

struct DataChoice {
  std::uint64_t after_steps = 0;  ///< steps taken when the value is drawn
  std::uint64_t options = 0;      ///< at least two: the value is in [0, options)
  std::string_view label;
  const StateDigest* state = nullptr;  ///< as SchedulingChoice::state
  std::string_view state_unknown;      ///< as SchedulingChoice::state_unknown
};

/// One step about to be taken, as a replay checks it.
struct StepView {
  std::uint64_t step = 0;
  FiberId fiber{};
  const Operation* operation = nullptr;
  /// The fibers that could have taken the step (set by the engine; a
  /// pointer, so that watching a step copies no set).
  const FiberSet* runnable = nullptr;
  /// Steps taken when this fiber was spawned: its spawner's step is the one
  /// before (0: spawned in setup, before any step).
  std::uint64_t spawned_at = 0;
};

/// Why a strategy ends an execution early. The kind decides how the
/// exploration counts it; the reason is for people.
enum class StopKind : unsigned char {
  /// Partial-order reduction: the run can only repeat what was explored
  /// (sleep-set blocked). Counted apart as pruned, in no outcome class.
  kRedundant,
  /// The run belongs to another part of the space (ShardedStrategy,
  /// harness/strategy/sharded.hpp): not counted at all.
  kOtherShard,
  /// The program did not do what the strategy expected (a replay that left
  /// its trace, nondeterminism dfs noticed): the outcome is kDivergence.
  kDivergence,
  /// A stop request (Ctrl-C) cut the run short: not counted, and the
  /// exploration ends as interrupted.
  kInterrupted,
};
struct Stop {
  StopKind kind = StopKind::kDivergence;
  std::string reason;
};

/// A strategy's answer to a choice: the value chosen, or a stop.
template <class T>
class Answer {
 public:
  Answer(T value) : answer_(std::move(value)) {}  // NOLINT: implicit on purpose, `return fiber;`
  Answer(Stop stop) : answer_(std::move(stop)) {}  // NOLINT: `return Stop{…};`
  bool chosen() const { return answer_.index() == 0; }
  const T& value() const { return std::get<0>(answer_); }
  const Stop& stop() const { return std::get<1>(answer_); }

 private:
  std::variant<T, Stop> answer_;
};

/// Where an exploration stands, asked after an execution.
struct Position {
  /// The strategy has run every execution there is (dfs, dpor).
  bool exhausted = false;
  /// Orders the execution just run among all the executions of the
  /// unsharded strategy (dfs: the alternatives taken; random, pct: its
  /// number). Merging shards or threads keeps, per outcome class, the
  /// execution with the smallest key: the one an unsharded run meets first.
  std::vector<std::uint64_t> order_key;
  /// The execution's number in the unsharded run, where that identifies it
  /// (random, pct: it seeds the execution); nullopt for dfs.
  std::optional<std::uint64_t> execution_number;
};

/// Sees every step before it is taken (a replay checks it against its log,
/// partial-order reduction records its accesses). A stop ends the execution.
class StepObserver {
 public:
  virtual ~StepObserver() = default;
  virtual std::optional<Stop> observe_step(const StepView& step) = 0;
};

/// Every method is pure: a strategy says what it does at each one, and a
/// wrapper derives from ForwardingStrategy, so no call can be forgotten.
class Strategy {
 public:
  virtual ~Strategy() = default;

  /// Prepares the next execution; false when there is nothing left to run.
  virtual bool begin_execution() = 0;
  /// A member of choice.runnable, or a stop.
  virtual Answer<FiberId> choose_fiber(const SchedulingChoice& choice) = 0;
  /// A value below choice.options, or a stop.
  virtual Answer<std::uint64_t> choose_data(const DataChoice& choice) = 0;
  /// The execution seen whole: a stop if it contradicts what the strategy
  /// expected (a replay that ended early, a dfs prefix not followed) or does
  /// not count here (a run of another part, for ShardedStrategy). An outcome
  /// kPruned says the run was cut short.
  virtual std::optional<Stop> end_execution(const Outcome& outcome) = 0;
  /// After an execution: exhausted, order key, execution number.
  virtual Position position() const = 0;
  /// Name and settings, for trace headers and reports.
  virtual Provenance provenance() const = 0;
  /// The strategy's own step observer (replay, dpor), or null: then the
  /// engine does not build a step view at all.
  virtual StepObserver* step_observer() = 0;
};

/// Forwards every call to another strategy; wrappers override what they add.
class ForwardingStrategy : public Strategy {
 public:
  explicit ForwardingStrategy(Strategy& inner) : inner_(inner) {}
  bool begin_execution() override { return inner_.begin_execution(); }
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override { return inner_.choose_fiber(choice); }
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override { return inner_.choose_data(choice); }
  std::optional<Stop> end_execution(const Outcome& outcome) override { return inner_.end_execution(outcome); }
  Position position() const override { return inner_.position(); }
  Provenance provenance() const override { return inner_.provenance(); }
  StepObserver* step_observer() override { return inner_.step_observer(); }

 protected:
  Strategy& inner() { return inner_; }

 private:
  Strategy& inner_;
};

}  // namespace harness
