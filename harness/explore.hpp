// Exploration: run a program again and again under a strategy, count every
// outcome class reached, and keep, for each class, the first execution that
// reached it as a replayable trace.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "harness/fiber/stack_pool.hpp"
#include "harness/program.hpp"
#include "harness/strategy/strategy.hpp"
#include "harness/trace/trace.hpp"

namespace harness {

struct Progress {
  std::uint64_t executions = 0;
  std::uint64_t failures = 0;
  std::size_t classes = 0;
};

struct ExploreSettings {
  std::uint64_t max_steps = 100000;
  /// Stop at the first failing execution.
  bool stop_at_first_failure = false;
  /// Called every `progress_every` executions (and at the end), if set.
  std::function<void(const Progress&)> progress;
  std::uint64_t progress_every = 4096;
  /// Checked between executions: when it reads true the exploration stops
  /// and reports what it has (a Ctrl-C handler sets it).
  const std::atomic<bool>* stop = nullptr;
  /// Sees every step of every execution, beside the strategy (a tool that
  /// lists points). Null: none.
  StepObserver* watcher = nullptr;
  /// Called after each execution that counts (pruned ones too), with the
  /// strategy that ran it and its outcome; false ends the exploration (not
  /// as interrupted). For explore_parallel_capped.
  std::function<bool(const Strategy&, const Outcome&)> on_execution;
  /// Runs the first execution's schedule twice more and warns
  /// (Report::warnings) when the program does not behave the same: state it
  /// keeps between executions (a global, a static, a thread_local) that its
  /// setup does not reset. Costs two executions per exploration.
  bool check_fresh_start = false;
  /// Report data races (ExecutionSettings::detect_races). The report's
  /// provenance, and so every trace it saves, then says `races=on`, and a
  /// replay of such a trace detects them too.
  bool detect_races = false;
  /// Show the strategy the program's state digest at every choice
  /// (ExecutionSettings::track_state): what StatefulStrategy needs.
  bool track_state = false;
};

struct OutcomeClass {
  Outcome outcome;
  std::uint64_t count = 0;
  std::uint64_t first_execution = 0;  ///< 0-based number of the first execution that reached it
  std::vector<std::uint64_t> first_key;  ///< its Strategy::position().order_key, for deterministic merges
  Trace first_trace;                   ///< that execution, recorded step by step
};

struct Report {
  std::string program;
  Provenance provenance;
  std::uint64_t executions = 0;
  bool exhausted = false;          ///< the strategy covered its whole space
  bool interrupted = false;        ///< stopped early by ExploreSettings::stop
  /// Executions the strategy cut short as redundant (sleep-set blocked);
  /// included in `executions`, in no class.
  std::uint64_t pruned = 0;
  std::vector<OutcomeClass> classes;  ///< ordered by (kind, message)
  /// What the exploration noticed about the program, for a person (see
  /// ExploreSettings::check_fresh_start).
  std::vector<std::string> warnings;

  std::uint64_t failures() const;
  const OutcomeClass* find(OutcomeKind kind) const;
};

Report explore(const Program& program, Strategy& strategy, StackPool& stacks, const ExploreSettings& settings);

/// The stop reason of an execution cut short by harness::interruption_point()
/// after a stop request: it ends as kPruned and is not counted.
inline constexpr std::string_view kInterruptedExecution = "interrupted";

namespace detail {
extern thread_local constinit const std::atomic<bool>* tl_stop_request;
}  // namespace detail

/// While alive, harness::interruption_point() on this thread ends the
/// running execution once `*stop` reads true (null: never). explore() opens
/// one around each execution it runs; other loops that run executions (the
/// shrinker's) may too.
class InterruptionScope {
 public:
  explicit InterruptionScope(const std::atomic<bool>* stop) : previous_(detail::tl_stop_request) {
    detail::tl_stop_request = stop;
  }
  ~InterruptionScope() { detail::tl_stop_request = previous_; }
  InterruptionScope(const InterruptionScope&) = delete;
  InterruptionScope& operator=(const InterruptionScope&) = delete;

 private:
  const std::atomic<bool>* previous_;
};

/// Runs `decisions` again with the event log on and returns the trace.
/// `provenance` goes into the trace header as it is.
Trace record_trace(const Program& program, StackPool& stacks, const std::vector<Decision>& decisions,
                   Provenance provenance, std::uint64_t max_steps);

struct ReplayResult {
  Trace trace;      ///< the trace this replay wrote (same header as the original)
  bool identical;   ///< write_trace(trace) == write_trace(original)
};
/// Replays `original` step by step, checking each step against its log.
ReplayResult replay_trace(const Program& program, StackPool& stacks, const Trace& original, std::uint64_t max_steps);

}  // namespace harness
