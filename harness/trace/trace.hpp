// A trace: one execution, saved so that it can be replayed step for step and
// read by a person. Text, versioned, byte-stable: writing a parsed trace
// gives back the same bytes, and nothing in it depends on time, addresses or
// the compiler.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/decision.hpp"
#include "harness/event.hpp"
#include "harness/object_info.hpp"
#include "harness/outcome.hpp"
#include "harness/provenance.hpp"
#include "harness/trace/format.hpp"

namespace harness {

/// Where a value stood in the file a trace was read from (1-based; the
/// column counts characters, not bytes).
struct TextPosition {
  std::size_t line = 0;
  std::size_t column = 0;
};

/// What a trace kept as a regression test must do when it is replayed
/// against the current program (`interleave regress`): reproduce its outcome
/// byte for byte (a failure that must stay reproducible: it guards the
/// engine and the models), or no longer fail (a bug that was fixed and must
/// stay fixed). Set by `interleave trace mark-fixed`.
enum class TraceExpectation : unsigned char { kReproduces, kFixed };

std::string_view to_string(TraceExpectation expectation);

struct Trace {
  std::string program;               ///< Program::name
  TraceExpectation expect = TraceExpectation::kReproduces;
  Provenance provenance;             ///< what produced it: strategy, seed, execution, bounds, …
  std::vector<std::string> fibers;   ///< names, by FiberId
  std::vector<ObjectInfo> objects;   ///< by ObjectId
  std::vector<Decision> decisions;   ///< enough to replay it
  std::vector<Event> events;         ///< the step-by-step log
  Outcome outcome;
  /// Read from a file: where each provenance value stood, so a tool that
  /// refuses one can say where. Empty for a trace made in memory; not compared.
  std::vector<TextPosition> provenance_at;
  /// Read from a file: the format version it was written in (the writer
  /// always writes trace_format::kVersion). A version-1 trace has no
  /// `expect` line and its `scenario-hash` is of the scenario file's bytes.
  /// Not compared.
  int format_version = trace_format::kVersion;

  friend bool operator==(const Trace& a, const Trace& b) {
    return a.program == b.program && a.expect == b.expect && a.provenance == b.provenance && a.fibers == b.fibers &&
           a.objects == b.objects && a.decisions == b.decisions && a.events == b.events && a.outcome == b.outcome;
  }
};

/// A trace file that cannot be read: where, and what was expected. Without a
/// line (0) the message is "source: message": the file itself could not be
/// read. io(): the system failed reading it (not a mistake in the file).
class TraceError : public std::runtime_error {
 public:
  TraceError(std::string source, std::size_t line, std::size_t column, std::string message, bool io = false);
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }
  bool io() const { return io_; }

 private:
  std::size_t line_;
  std::size_t column_;
  bool io_;
};

/// Preemptions in the trace's schedule: switches away from a goroutine
/// that could have gone on (it was runnable at the next step).
std::uint64_t count_preemptions(const Trace& trace);

/// The largest trace file load_trace reads.
inline constexpr std::size_t kMaxTraceFileBytes = std::size_t{256} << 20;

std::string write_trace(const Trace& trace);
/// `source` names the text in error messages (a file path).
/// Throws TraceError on anything but a complete, well-formed trace.
Trace parse_trace(std::string_view text, const std::string& source);

/// Writes atomically: a crash never leaves a half-written trace behind.
void save_trace(const std::string& path, const Trace& trace);
/// Throws TraceError (also when the file cannot be read).
Trace load_trace(const std::string& path);

/// The provenance value for `key`, or empty.
std::string provenance_value(const Trace& trace, std::string_view key);
/// The provenance value for `key` as a number; nullopt when absent or not a
/// whole number (parse_trace refuses a file where a numeric key is not one).
std::optional<std::uint64_t> provenance_number(const Trace& trace, std::string_view key);
/// Where the provenance value for `key` stood in the file, if it was read from one.
std::optional<TextPosition> provenance_position(const Trace& trace, std::string_view key);

}  // namespace harness
