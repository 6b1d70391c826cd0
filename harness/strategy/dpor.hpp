// Exhaustive search with dynamic partial-order reduction: source-DPOR with
// sleep sets (Abdulla, Aronis, Jonsson, Sagonas, "Optimal dynamic partial
// order reduction", POPL 2014, Algorithm 1), stateless like DfsStrategy.
//
// Two steps are dependent when they touch the same object and not both only
// read (harness/access.hpp); a wait on no object (a join) is dependent with
// every step, and a goroutine's first step happens after the step that
// spawned it. Any over-approximation of dependency keeps the search sound.
//
// After each step the strategy looks for races: an earlier step i of another
// goroutine, dependent with the new step j, with no other step between them
// in happens-before. For each race it makes sure that, at the state before
// i, some goroutine that can start the reversed order (an "initial" of
// notdep(i).j) is in the backtrack set. Sleep sets stop it from exploring a
// schedule equivalent to one already explored: such runs are cut short
// (outcome kPruned) and counted apart. Every complete execution is then a
// distinct Mazurkiewicz trace, and every trace's outcome is reached.
//
// Data choices are explored exhaustively, each value with its own subtree.
//
// Lock acquisitions also race with the previous acquisition of the same lock
// by another goroutine (the release between them would otherwise hide every
// lock-order race), as the paper's extension for locks does.
//
// With a preemption bound, an alternative is tried only if it keeps the
// schedule within the bound, so every explored schedule respects it. When
// reversing a race would need one preemption too many, the goroutine is
// also scheduled at the latest earlier state where it runs within the bound
// (the conservative backtracking of Coons, Musuvathi, McKinley, "Bounded
// partial-order reduction", OOPSLA 2013, simplified). What is guaranteed
// then: the same outcomes as bounded dfs on every program of the soundness
// corpus (tests/harness/dpor_test.cpp, tests/tools/dpor_scenarios_test.cpp);
// no proof of completeness for the bounded space is claimed.
#pragma once

#include <array>
#include <cstdint>

#include <boost/container/small_vector.hpp>
#include <optional>
#include <string>
#include <vector>

#include "harness/access.hpp"
#include "harness/strategy/strategy.hpp"

namespace harness {

struct DporSettings {
  std::optional<std::uint32_t> preemption_bound;
  std::uint64_t max_executions = UINT64_MAX;
};

class DporStrategy final : public Strategy, private StepObserver {
 public:
  explicit DporStrategy(DporSettings settings = {}) : settings_(settings) {}

  bool begin_execution() override;
  Answer<FiberId> choose_fiber(const SchedulingChoice& choice) override;
  Answer<std::uint64_t> choose_data(const DataChoice& choice) override;
  std::optional<Stop> end_execution(const Outcome& outcome) override;
  Position position() const override { return Position{exhausted_, {}, std::nullopt}; }
  Provenance provenance() const override;
  /// Records every step's access: races are found from them.
  StepObserver* step_observer() override { return this; }
  bool exhausted() const { return exhausted_; }

 private:
  /// What dependency needs of an operation.
  struct Access {
    ObjectId object = kNoObject;
    AccessKind access = AccessKind::kNone;
  };
  struct Sleeper {
    FiberId fiber;
    Access next;  ///< its pending operation (unchanged while it sleeps)
  };
  /// Sleep sets and pending operations are short: kept inline, they cost
  /// no allocation per state.
  using Sleepers = boost::container::small_vector<Sleeper, 4>;
  /// One scheduling state (before a step) or one data choice.
  struct Node {
    bool data = false;
    // Scheduling nodes.
    FiberSet enabled = 0;
    std::optional<FiberId> current;  ///< the fiber that could continue (preemption accounting)
    FiberId chosen{};
    FiberSet backtrack = 0;
    FiberSet done = 0;
    Sleepers sleep;      ///< inherited sleep set at this state
    Sleepers pending;    ///< the enabled fibers' next operations
    std::uint32_t preemptions = 0;   ///< preemptions before this state
    // Data nodes.
    std::uint64_t options = 0;
    std::uint64_t taken = 0;
  };
  /// One step of the current execution, for happens-before.
  struct Event {
    Event() {}  // user-provided: the clock array is not zeroed on creation
    FiberId fiber{};
    Access access;
    std::size_t node;             ///< index in path_ of the state before it
    std::uint32_t index_in_fiber;  ///< 1-based
    /// Vector clock, by fiber. Only the first clock_size entries are set
    /// (the fibers that had run when the event was made); the rest read as 0.
    std::array<std::uint32_t, kMaxFibers> clock;
    std::uint32_t clock_size = 0;
    std::uint32_t at(std::size_t f) const { return f < clock_size ? clock[f] : 0; }
  };

  static bool dependent(const Access& a, const Access& b);
  static FiberSet sleeping(const Sleepers& sleep);
  bool happens_before(std::size_t i, std::size_t j) const;  ///< event i ->hb event j (i < j)
  Node& node_for_step(const StepView& step);
  void detect_races(std::size_t j);
  void add_backtrack(std::size_t node_index, FiberId fiber);
  /// The sleep set after `node`'s step, written into `next`.
  static void child_sleep(const Node& node, const Access& taken, Sleepers& next);
  std::optional<FiberId> pick(Node& node) const;
  bool within_bound(const Node& node, FiberId fiber) const;
  std::optional<Stop> observe_step(const StepView& step) override;
  /// The stop just decided: pruned_ says redundant, else a divergence.
  Stop current_stop() const { return Stop{pruned_ ? StopKind::kRedundant : StopKind::kDivergence, stop_reason_}; }

  DporSettings settings_;
  std::vector<Node> path_;
  std::size_t depth_ = 0;
  std::vector<Event> events_;
  Sleepers next_sleep_;   ///< sleep set for the next new state
  std::uint32_t preemptions_ = 0;
  std::array<std::optional<std::size_t>, kMaxFibers> last_of_fiber_;  ///< latest event of each fiber
  std::size_t fiber_limit_ = 0;  ///< 1 + the highest fiber index seen in this execution
  std::size_t replay_boundary_ = 0;  ///< path_ index of the branch this execution takes anew
  // Scratch buffers of detect_races, kept to avoid allocating per step.
  std::vector<std::size_t> predecessors_, racing_, notdep_;
  std::uint64_t executions_ = 0;
  bool started_ = false;
  bool exhausted_ = false;
  bool pruned_ = false;
  std::string stop_reason_;
};

}  // namespace harness
