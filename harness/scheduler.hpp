// The scheduling side of one run: asks the strategy at each choice, checks
// its answer, records the decision, and shows each step to the strategy's
// step observer and to the watcher beside it.
//
// It knows nothing of fibers, stacks or contexts: Execution
// (harness/execution.hpp) owns the state of the run (fibers, pending
// operations, objects, steps, event log, outcome), computes the runnable
// set, calls the Scheduler when there is a choice, and acts on its answer
// (switch to the chosen fiber, or end the run on a stop).
//
// Per run: begin(), then { choose_fiber() | choose_value() | observe_step() }*
// in program order, then end(). decisions() stays valid until the next begin().
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "harness/decision.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

class Scheduler {
 public:
  /// Starts a run under `strategy`, whose begin_execution() has been
  /// called; `watcher` (may be null) sees every step after the strategy.
  void begin(Strategy& strategy, StepObserver* watcher);
  /// The run seen whole by the strategy: a stop replaces its outcome.
  std::optional<Stop> end(const Outcome& outcome);

  /// A member of choice.runnable (two or more fibers), recorded; or a stop.
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice);
  /// A value below choice.options (two or more), recorded; or a stop.
  Answer<std::uint64_t> choose_value(const DataChoice& choice);

  /// Whether anyone looks at steps: if not, no step view need be built.
  bool observes_steps() const { return observer_ != nullptr || watcher_ != nullptr; }
  /// Shows a step about to be taken; a stop from the strategy's observer
  /// ends the run (the watcher then does not see the step).
  std::optional<Stop> observe_step(const StepView& step);

  /// The decisions of the run, in order.
  std::vector<Decision> decisions() const;

 private:
  Strategy* strategy_ = nullptr;
  StepObserver* observer_ = nullptr;  ///< the strategy's, or null
  StepObserver* watcher_ = nullptr;
  /// Decisions as the hot path records them: no string is built per choice.
  struct RecordedDecision {
    Decision::Kind kind;
    std::uint8_t high_count = 0;  ///< at most (kMaxFibers - 1) / 64 words
    std::uint32_t high_at = 0;
    std::uint64_t step;
    std::uint64_t value;
    /// Data choices: the number of options. Scheduling choices: the
    /// runnable set's first word (ids 0-63); its further words, if any, are
    /// high_words_[high_at, high_at + high_count).
    std::uint64_t options;
    std::string_view label;  ///< data choices: the caller's label (a literal)
  };
  static_assert((kMaxFibers - 1) / 64 <= 255, "RecordedDecision::high_count holds the words past the first");
  std::vector<RecordedDecision> decisions_;
  std::vector<std::uint64_t> high_words_;
};

}  // namespace harness
