// Shrinking a failing trace of a scenario: the same outcome (kind and
// message) with as few preemptions as possible, then as few steps as
// possible (phases 1 and 2: the engine's, harness/shrink/schedule_shrinker.hpp),
// then (optionally) a smaller scenario that still fails the same way.
//
// Phases, each timed and each with its own stopping rule:
//
//  1. Preemptions. First preemptions are taken out of the trace one at a
//     time (a single execution each: the goroutine that was preempted runs
//     on instead). Then iterative preemption bounding: dfs with bound 0, 1,
//     … stops at the first schedule that reaches the outcome. It never
//     searches the trace's own count (that many are known to be enough),
//     and it stops at a bound whose space exceeds the budget: fewer
//     preemptions are then not ruled out, and the phase says so.
//  2. Steps. dfs within the bound found, cutting every execution at the
//     length of the best schedule so far. Skipped when the schedule is
//     minimal by an argument (a step-bound outcome always takes max-steps
//     steps; p preemptions need at least p + 1 steps).
//  3. Operations. A goroutine operation is removed, or a `for` loop's range
//     narrowed (halves, then one iteration off either end; loops in a map's
//     `initial` too), when the smaller scenario still reaches the outcome
//     with no more preemptions AND the failure still needs an
//     interleaving: no schedule without preemptions of the smaller scenario
//     fails with the outcome's kind (a smaller story that fails alone is
//     another story). The check is skipped only if the original scenario
//     itself fails that way without preemptions. Then phases 1 and 2 run
//     again on the smaller scenario.
//
// Every search has a budget, and the whole shrink a total one. The result
// is an ordinary trace, recorded like any other, that replays byte for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/shrink/schedule_shrinker.hpp"
#include "harness/trace/trace.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {

using harness::shrink::schedule_size;
using harness::shrink::ScheduleSize;
using harness::shrink::ShrinkLimits;
using harness::shrink::ShrinkPhase;

struct ShrinkOptions {
  ShrinkLimits limits;
  /// Where to write the smaller scenario; empty: operations are kept.
  std::string scenario_out;
};

struct ShrinkResult {
  harness::Trace trace;  ///< the shrunk trace (or the original if nothing smaller was found)
  bool interrupted = false;  ///< a second Ctrl-C ended the search: the trace is the original
  ScheduleSize before;
  ScheduleSize after;
  /// False if a search stopped on a budget: a smaller schedule may exist.
  bool exhaustive = true;
  std::vector<ShrinkPhase> phases;  ///< preemptions, steps[, operations]
  std::uint64_t executions = 0;     ///< all phases together

  /// Set when operations went: the smaller scenario the trace replays against.
  std::optional<std::string> scenario_path;
  std::size_t operations_before = 0;
  std::size_t operations_after = 0;
  std::vector<std::string> changes;  ///< "goroutine 'a': removed 'len'", …
};

/// REQUIRES: `trace` was recorded from `scenario` and failed.
ShrinkResult shrink(const Scenario& scenario, const harness::Trace& trace, const ShrinkOptions& options);

/// The schedule only (phases 1 and 2), total budget 4 × `budget_per_bound`.
ShrinkResult shrink_trace(const Scenario& scenario, const harness::Trace& trace, std::uint64_t budget_per_bound);

}  // namespace interleave
