// Stopping early without losing what was found: Ctrl-C (SIGINT), a CI job's
// timeout (SIGTERM), a closed terminal or session (SIGHUP), and --time-limit.
//
// The first of these signals asks the running exploration to stop: the
// execution under way ends at its next preemption point or interruption
// point, uncounted, and the report so far is printed and every failing trace
// found is saved (and shrunk, with --shrink). A second one (of any of the
// three kinds) stops that too: shrinking ends at once (the traces are saved
// as found), the report and the JSON report are still written. If the
// process is still busy two seconds later (code that never reaches a point
// where it can stop), or on a third signal, it ends without writing the
// rest. The exit code is 128 + the first signal's number: 130 for SIGINT,
// 143 for SIGTERM, 129 for SIGHUP (what a shell reports for a process the
// signal killed).
//
// The time limit (start_time_limit) stops everything at once, as a second
// signal does, but is no interruption: the run ends with its report judged
// on what it explored, and its ordinary exit code.
#pragma once

#include <atomic>
#include <chrono>

#include "harness/alarm.hpp"

namespace interleave {

/// Handles SIGINT, SIGTERM and SIGHUP as above.
void install_interrupt_handler();
/// For a command with no exploration to stop first (shrink): the first
/// signal stops everything, as a second one would.
void quit_at_first_signal();
/// True once the exploration should stop: a signal, or the time limit.
const std::atomic<bool>& interrupt_requested();
/// True once everything should stop and write what it has: a second signal,
/// or the time limit.
const std::atomic<bool>& quit_requested();

/// The first stop signal received (SIGINT, SIGTERM or SIGHUP), 0 if none.
int stop_signal();
/// The exit code of a run a signal stopped: 128 + stop_signal().
int interrupted_exit_code();
/// True once the time limit ran out; it stopped the run if no signal came first.
bool time_limit_reached();
/// Whether the exploration was stopped by the time limit rather than a signal.
bool stopped_by_time_limit();

/// While alive, ends the run (as above) once `limit` has passed. The clock
/// is read here only: nothing a run records depends on it.
class TimeLimit {
 public:
  explicit TimeLimit(std::chrono::milliseconds limit);
  TimeLimit(const TimeLimit&) = delete;
  TimeLimit& operator=(const TimeLimit&) = delete;

 private:
  harness::Alarm alarm_;
};

}  // namespace interleave
