// Shrinking a failing schedule of any program: the same outcome (kind and
// message) with as few preemptions as possible, then as few steps as
// possible. The CLI's `interleave shrink` (tools/interleave/shrink.hpp)
// adds a third phase of its own, smaller scenarios, on these pieces;
// interleave::catch2 shows a C++ test's failure shrunk by them.
//
//  1. Preemptions (Shrinker::preemptions). First preemptions are taken out
//     of the schedule one at a time (a single execution each: the goroutine
//     that was preempted runs on instead). Then iterative preemption
//     bounding: dfs with bound 0, 1, ... stops at the first schedule that
//     reaches the outcome. It never searches the schedule's own count (that
//     many are known to be enough), and it stops at a bound whose space
//     exceeds the budget: fewer preemptions are then not ruled out, and the
//     phase says so.
//  2. Steps (Shrinker::steps). dfs within the bound found, cutting every
//     execution at the length of the best schedule so far. Skipped when the
//     schedule is minimal by an argument (a step-bound outcome always takes
//     max-steps steps; p preemptions need at least p + 1 steps).
//
// Every search has a budget (ShrinkLimits), and the whole shrink a total
// one; a stop flag (a second Ctrl-C) ends it at once. Each phase reports its
// time, executions and what it showed (ShrinkPhase). What a phase finds is
// confirmed by recording it again: a program that is not deterministic
// keeps the schedule it had.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/execution.hpp"
#include "harness/explore.hpp"
#include "harness/fiber/stack_pool.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/trace/trace.hpp"

namespace harness::shrink {

struct ScheduleSize {
  std::uint64_t preemptions = 0;
  std::uint64_t steps = 0;
};

/// Preemptions of a recorded trace: switches away from a goroutine that was
/// still runnable.
ScheduleSize schedule_size(const harness::Trace& trace);

/// What one phase did: how long it took, how many executions it ran, and
/// what it showed or why it stopped or was skipped.
struct ShrinkPhase {
  std::string name;  ///< "preemptions", "steps", "operations"
  bool ran = false;  ///< false: skipped, `note` says why
  double seconds = 0;
  std::uint64_t executions = 0;
  std::string note;
  /// Preemptions: the highest bound dfs searched (none: it did not search).
  std::optional<std::uint32_t> highest_bound;
};

ShrinkPhase phase_named(std::string name);

struct ShrinkLimits {
  std::uint64_t per_search = 100000;  ///< executions of one search: one preemption bound, one candidate check
  std::uint64_t total = 400000;       ///< executions of the whole shrink, all phases together
  /// Detect data races in every execution: set from the trace (`races=on`),
  /// so that a race outcome can be reached again.
  bool detect_races = false;
  /// Read between executions (and at interruption points): true ends the
  /// shrink at once. Null: never.
  const std::atomic<bool>* stop = nullptr;
};

/// "1,234,567".
std::string grouped(std::uint64_t n);
/// "1 preemption", "1,200 preemptions".
std::string plural(std::uint64_t n, const char* one, const char* many);

/// A schedule of one program: the decisions that replay it, the goroutine
/// of each step, and its size.
struct Schedule {
  std::vector<harness::Decision> decisions;
  std::vector<std::uint32_t> fibers;
  ScheduleSize size;
};

/// The schedule a recorded trace follows.
Schedule schedule_of(const harness::Trace& trace);


/// A schedule as "goroutine f runs until it has taken `until` steps of its
/// own", segment after segment. Unlike step numbers, these switch points
/// survive a change elsewhere: removing an operation of one goroutine does
/// not move another goroutine's.
struct Segment {
  std::uint32_t fiber = 0;
  std::uint64_t until = 0;
};

std::vector<Segment> plan_of(const std::vector<std::uint32_t>& fibers);



struct SearchStats {
  std::uint64_t executions = 0;
  bool exhausted = false;  ///< the whole space was run
  bool stopped = false;    ///< the visitor stopped it
  bool capped = false;     ///< the total budget ran out (rather than this search's)
};

/// Runs executions and counts them against the budgets.
class Engine {
 public:
  explicit Engine(ShrinkLimits limits) : limits_(limits), execution_(stacks_) {}

  std::uint64_t used() const { return used_; }
  bool spent() const { return used_ >= limits_.total || stopped(); }
  /// The stop flag (ShrinkLimits::stop) reads true.
  bool stopped() const { return limits_.stop != nullptr && limits_.stop->load(std::memory_order_relaxed); }
  const ShrinkLimits& limits() const { return limits_; }

  /// dfs with preemption bound `bound`; `visit(outcome)` after each
  /// execution returns false to stop. It may lower `max_steps`.
  template <class Visit>
  SearchStats dfs(const harness::Program& program, std::uint32_t bound, std::uint64_t& max_steps, Visit&& visit) {
    SearchStats stats;
    const std::uint64_t allowed = std::min(limits_.per_search, limits_.total - std::min(used_, limits_.total));
    harness::DfsStrategy dfs(harness::DfsSettings{bound, allowed});
    while (dfs.begin_execution()) {
      ++used_;
      ++stats.executions;
      const harness::Outcome& outcome = [&]() -> const harness::Outcome& {
        const harness::InterruptionScope interruptible(limits_.stop);
        return execution_.run(program, dfs, harness::ExecutionSettings{max_steps, false, nullptr, limits_.detect_races});
      }();
      if (stopped() || !visit(outcome)) {
        stats.stopped = true;
        return stats;
      }
    }
    stats.exhausted = dfs.exhausted();
    stats.capped = !stats.exhausted && allowed < limits_.per_search;
    return stats;
  }
  std::vector<harness::Decision> decisions() const { return execution_.decisions(); }
  std::uint64_t steps() const { return execution_.steps(); }

  /// One execution following `plan`; nullopt when the total budget is spent.
  std::optional<std::pair<harness::Outcome, Schedule>> guided(const harness::Program& program,
                                                              const Schedule& reference,
                                                              std::vector<Segment> plan, std::uint64_t max_steps);

  /// Runs `decisions` again with the event log on (not counted: it only
  /// confirms what a search found).
  harness::Trace record(const harness::Program& program, const std::vector<harness::Decision>& decisions,
                        harness::Provenance provenance, std::uint64_t max_steps);

 private:
  ShrinkLimits limits_;
  std::uint64_t used_ = 0;
  harness::StackPool stacks_;
  harness::Execution execution_;
};

/// Whether the scenario reaches a failure of the target's kind without
/// preemptions, as far as the search could tell.
enum class AloneFailure { kYes, kNo, kUnknown };

using Clock = std::chrono::steady_clock;

/// Adds the time and executions of a scope to a phase.
class PhaseTimer {
 public:
  PhaseTimer(ShrinkPhase& phase, const Engine& engine)
      : phase_(phase), engine_(engine), start_(Clock::now()), used_(engine.used()) {}
  ~PhaseTimer() {
    phase_.seconds += std::chrono::duration<double>(Clock::now() - start_).count();
    phase_.executions += engine_.used() - used_;
  }
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

 private:
  ShrinkPhase& phase_;
  const Engine& engine_;
  Clock::time_point start_;
  std::uint64_t used_;
};

struct Shrinker {
  Engine engine;
  harness::Outcome target;
  std::uint64_t max_steps = 100000;  ///< the step bound of every execution (the trace's)
  bool exhaustive = true;
  bool proven = false;  ///< phase 1 showed that no schedule with fewer preemptions reaches the target

  /// The schedule as a trace of `program`, or nullopt if it does not reach
  /// the target when recorded (a program that is not deterministic).
  std::optional<Schedule> confirm(const harness::Program& program, const std::vector<harness::Decision>& decisions);

  /// Phase 1. `alone` (if given) learns whether bound 0 reaches a failure of
  /// the target's kind.
  Schedule preemptions(const harness::Program& program, Schedule best, ShrinkPhase& phase, AloneFailure* alone);

  /// Phase 2: the shortest schedule with no more preemptions.
  Schedule steps(const harness::Program& program, Schedule best, ShrinkPhase& phase);
};


/// Phases 1 and 2 on `trace` (a failing execution of `program`, recorded
/// with `max_steps`): the shrunk schedule, recorded with `provenance`
/// (plus races=on when it was searched so), or `trace` itself when nothing
/// smaller was found. `phases` gets the two phases' reports.
harness::Trace shrink_schedule(const harness::Program& program, const harness::Trace& trace, ShrinkLimits limits,
                               std::uint64_t max_steps, harness::Provenance provenance,
                               std::vector<ShrinkPhase>* phases = nullptr);

}  // namespace harness::shrink
