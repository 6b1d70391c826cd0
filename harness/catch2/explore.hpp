// interleave inside a Catch2 (v2) test case: one call explores a program and,
// if some schedule fails, fails the test once, with the failure, the
// schedule that reaches it shrunk by the engine's shrinker (the fewest
// preemptions, then the fewest steps: harness/shrink/schedule_shrinker.hpp),
// shown step by step per goroutine, and where its trace was saved.
//
//   TEST_CASE("the counter loses no update") {
//     harness::catch2::check_every_schedule(program);
//   }
//
// Catch2 assertions inside the program (REQUIRE, CHECK, FAIL, in goroutines,
// at_end checks or setup) are the program's assertions: a failed one ends
// that execution as an `assertion` outcome whose message is
// "file:line: REQUIRE( x == 2 ) with expansion: 1 == 2" (the file's base
// name, so traces do not depend on where the sources are). They are not
// reported to Catch2 one by one: the test fails once, for the exploration.
//
// The program must start afresh at every execution: its setup builds the
// state anew. State kept between executions (globals, statics,
// thread_locals) is detected on the first schedule and reported as a Catch2
// warning (Report::warnings).
//
// INTERLEAVE_REPLAY=PATH in the environment: instead of exploring, replay
// the trace saved at PATH (the one a failure named) step by step, and fail
// the test the same way if it still fails. INTERLEAVE_TRACE_DIR sets where
// failing traces are saved (default: interleave-traces/ in the working
// directory; "-": nowhere).
//
// Link interleave::catch2 (it brings interleave::harness and Catch2).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "harness/explore.hpp"
#include "harness/outcome.hpp"
#include "harness/program.hpp"
#include "harness/trace/trace.hpp"

namespace harness::catch2 {

struct Options {
  enum class Strategy : unsigned char {
    kDfs,     ///< every schedule, depth first (with `preemption_bound`, those within it)
    kDpor,    ///< every schedule up to reordering of independent steps (fewer executions)
    kRandom,  ///< `executions` seeded random walks
    kPct,     ///< `executions` runs of PCT with depth 3
  };
  Strategy strategy = Strategy::kDfs;
  std::optional<std::uint32_t> preemption_bound;  ///< dfs and dpor; none: unbounded
  std::uint64_t executions = 100000;               ///< the budget of executions
  std::uint64_t seed = 1;                          ///< random and pct
  std::uint64_t max_steps = 100000;                ///< per execution: more is a livelock (step-bound)
  /// Stop exploring after this long (zero: no limit). The result says so;
  /// what was found until then is reported as usual.
  std::chrono::milliseconds time_budget{0};
  /// Stop at the first failure of this kind (e.g. kAssertion), rather than
  /// exploring on; other failures found on the way are still reported.
  std::optional<OutcomeKind> stop_at;
  /// Fail the test when the budget or the time ran out before every
  /// schedule of a dfs or dpor was explored (otherwise that is only said).
  bool require_exhausted = false;
};

struct Result {
  Report report;
  bool time_ran_out = false;
  /// What explored it: "dfs", "random walks", "replay of PATH".
  std::string how;
  bool replayed = false;  ///< INTERLEAVE_REPLAY: one execution, the trace's
  /// The failure the test reports (of the kind `stop_at` names, if found,
  /// else the first failing class), by its shrunk schedule (the fewest
  /// preemptions, then the fewest steps); none when every execution passed.
  std::optional<Trace> first_failure;
};

/// Explores `program` as `options` say (or replays INTERLEAVE_REPLAY), with
/// Catch2's assertions as the program's outcomes; reports nothing to Catch2.
Result explore_in_test(const Program& program, const Options& options = {});

/// explore_in_test, then: when some execution failed, fails the running
/// Catch2 test once (as FAIL_CHECK: the test case goes on) with every
/// failing outcome class, the first failure's timeline, and where its trace
/// was saved (returned; empty if not saved).
/// The failure is located at the caller's line (`file` and `line` default
/// to it: not std::source_location, which clang 14 with libstdc++ lacks).
std::string check_every_schedule(const Program& program, const Options& options = {},
                                 const char* file = __builtin_FILE(), unsigned line = __builtin_LINE());

/// The base name of a source file, for messages that must not depend on
/// where the sources are.
std::string base_name(const char* file);

}  // namespace harness::catch2
