// A trace: one execution, saved so that it can be replayed step for step and
// read by a person. Text, versioned, byte-stable: writing a parsed trace
// gives back the same bytes, and nothing in it depends on time, addresses or
// the compiler.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "harness/decision.hpp"
#include "harness/event.hpp"
#include "harness/object_info.hpp"
#include "harness/outcome.hpp"
#include "harness/provenance.hpp"

namespace harness {

struct Trace {
  std::string program;               ///< Program::name
  Provenance provenance;             ///< what produced it: strategy, seed, execution, bounds, …
  std::vector<std::string> fibers;   ///< names, by FiberId
  std::vector<ObjectInfo> objects;   ///< by ObjectId
  std::vector<Decision> decisions;   ///< enough to replay it
  std::vector<Event> events;         ///< the step-by-step log
  Outcome outcome;

  friend bool operator==(const Trace&, const Trace&) = default;
};

/// A trace file that cannot be read: where, and what was expected.
class TraceError : public std::runtime_error {
 public:
  TraceError(std::string source, std::size_t line, std::size_t column, std::string message);
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }

 private:
  std::size_t line_;
  std::size_t column_;
};

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

}  // namespace harness
