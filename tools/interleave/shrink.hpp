// Shrinking a failing trace: the same outcome (kind and message) with as few
// preemptions as possible, then as few steps as possible.
//
// Method: iterative preemption bounding. dfs with bound 0, 1, 2, … (up to
// the trace's own count) stops at the first bound under which some schedule
// reaches the outcome: no schedule with fewer preemptions does (within the
// budget). Within that bound, the shortest such schedule is kept. The
// result is an ordinary trace, recorded like any other, that replays byte
// for byte.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/trace/trace.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {

struct ScheduleSize {
  std::uint64_t preemptions = 0;
  std::uint64_t steps = 0;
};

/// Preemptions of a recorded trace: switches away from a goroutine that was
/// still runnable.
ScheduleSize schedule_size(const harness::Trace& trace);

struct ShrinkResult {
  harness::Trace trace;  ///< the shrunk trace (or the original if nothing shorter was found)
  ScheduleSize before;
  ScheduleSize after;
  bool exhaustive = true;  ///< false if a bound's space exceeded the budget
  bool interrupted = false;  ///< a second Ctrl-C ended the search: the trace is the original
};

/// REQUIRES: `trace` was recorded from `scenario` and failed.
ShrinkResult shrink_trace(const Scenario& scenario, const harness::Trace& trace, std::uint64_t budget_per_bound);

}  // namespace interleave

namespace interleave {

struct OperationShrinkResult {
  harness::Trace trace;          ///< recorded from the smaller scenario
  std::string scenario_path;     ///< where the smaller scenario was written
  std::size_t operations_before = 0;
  std::size_t operations_after = 0;
};

/// Then fewer goroutine operations: removes one top-level operation at a
/// time while a schedule with the same outcome and no more preemptions
/// still exists, writing the smaller scenario to `scenario_out`. nullopt
/// when no operation can go.
std::optional<OperationShrinkResult> shrink_operations(const Scenario& scenario, const harness::Trace& trace,
                                                       const std::string& scenario_out, std::uint64_t budget);

}  // namespace interleave
