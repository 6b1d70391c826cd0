// How one execution ended. Failures are values of a closed set of kinds; the
// message distinguishes classes within a kind ("concurrent map writes").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace harness {

enum class OutcomeKind : unsigned char {
  kOk,           ///< every fiber finished and every check held
  kFatal,        ///< unrecoverable error raised on purpose (Go's fatal/throw)
  kPanic,        ///< a panic that no deferred recover stopped
  kAssertion,    ///< a check in the code under test failed
  kCorruption,   ///< a data-structure invariant broke silently
  kWrongResult,  ///< an operation returned a value the story forbids
  kException,    ///< a C++ exception escaped a fiber
  kDeadlock,     ///< no fiber can run but some have not finished
  kStepBound,    ///< the execution exceeded its step bound (livelock?)
  kDivergence,   ///< a replay met a different program than the trace recorded
  /// Two accesses to one object, one a write, unordered by synchronisation
  /// (ExecutionSettings::detect_races), in a run that otherwise passed.
  kRace,
  /// Not a result of the program: the strategy cut the execution short
  /// because it can only repeat what was explored (a sleep-set-blocked run
  /// of partial-order reduction). Counted apart, never an outcome class.
  kPruned,
};

std::string_view to_string(OutcomeKind kind);
std::optional<OutcomeKind> parse_outcome_kind(std::string_view name);

struct Outcome {
  OutcomeKind kind = OutcomeKind::kOk;
  std::string message;

  bool ok() const { return kind == OutcomeKind::kOk; }
  friend bool operator==(const Outcome&, const Outcome&) = default;
  friend auto operator<=>(const Outcome&, const Outcome&) = default;
};

/// "fatal: concurrent map writes", "ok", or "ok (recovered: …)" for an ok
/// execution in which a goroutine recovered a panic (its message is
/// "recovered: …").
std::string describe(const Outcome& outcome);

}  // namespace harness
