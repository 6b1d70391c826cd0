// Stateful search: dfs that does not explore a state twice.
//
// Many schedules reach the same state: two goroutines each storing 1 into
// one word, in either order; a goroutine's puts that commute with another's
// only once both are done. Partial-order reduction merges schedules that
// differ by swapping independent steps; this merges any two that reach one
// state, dependent steps or not. At every choice the engine shows the
// program's state digest (ExecutionSettings::track_state;
// harness/state/state_tracker.hpp says what it covers); a state already seen
// on another branch ends the run as pruned (StopKind::kRedundant): whatever
// can follow it was or will be explored from its first visit.
//
// Soundness: the outcomes are a function of the state reached (the final
// state decides the end checks, a failure is a state too), so every outcome
// class plain dfs reaches, stateful search reaches, with fewer executions.
// Counts of executions per class are not kept (merged runs are not run).
// Two refinements keep what dfs would report:
// - a state seen before with *fewer* steps taken is pruned; one seen after
//   more steps is explored again (the step bound cuts a later visit
//   earlier: what lies between would be missed);
// - a state seen on the path of the current run itself (a cycle: a spin
//   loop back where it started) is not pruned, so a livelock still runs into
//   the step bound and is reported as dfs reports it.
// Replaying a prefix (each dfs run starts from the beginning) meets the
// states of the previous run again; they are not pruned until the run leaves
// that run's path.
//
// If some object does not report its state (the engine's digest is then
// missing), nothing is pruned: the search is plain dfs, and
// untracked_reason() says why.
//
// Wraps an unbounded DfsStrategy (a preemption bound makes the future of a
// state depend on the preemptions left: not supported, the caller refuses).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "harness/state/state_digest.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

class StatefulStrategy final : public ForwardingStrategy {
 public:
  explicit StatefulStrategy(Strategy& dfs) : ForwardingStrategy(dfs), dfs_(dfs) {}

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  Provenance provenance() const override;

  /// Distinct states met at choices so far.
  std::uint64_t states() const { return visited_.size(); }
  /// Choices at which the program's state was not known (nothing pruned there).
  std::uint64_t unknown_states() const { return unknown_; }
  /// What kept the first such state unknown ("mutex 'mu'"), or "".
  const std::string& untracked_reason() const { return untracked_reason_; }

 private:
  /// Before a choice at `state` (null: unknown) after `steps` steps: a stop
  /// if the state was explored elsewhere.
  std::optional<Stop> arrive(const StateDigest* state, std::string_view unknown, std::uint64_t steps);
  /// After the choice: the answer, to know when this run leaves the last one's path.
  void leave(std::uint64_t answer);

  const Strategy& dfs_;
  /// For each state: the fewest steps it was reached after.
  std::unordered_map<StateDigest, std::uint64_t, StateDigestHash> visited_;
  /// The answers of the last run and of this one, choice by choice.
  std::vector<std::uint64_t> last_answers_;
  std::vector<std::uint64_t> answers_;
  /// The states of this run's path.
  std::unordered_set<StateDigest, StateDigestHash> on_path_;
  bool replaying_ = false;  ///< this run has followed the last one's choices so far
  std::uint64_t unknown_ = 0;
  std::string untracked_reason_;
};

}  // namespace harness
