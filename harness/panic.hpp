// Go's two ways for code to die, as the engine models them.
//
// A *panic* unwinds the goroutine that raised it: C++ destructors run, and a
// goroutine that recovers (catches harness::Panic) carries on. If it escapes
// the goroutine's body, the execution ends with outcome `panic`, as a Go
// process dies of an unrecovered panic.
//
// A *fatal* error (harness::fatal) does not unwind and cannot be caught: the
// whole execution ends at once with outcome `fatal`, as Go's fatal/throw do.
#pragma once

#include <string>

namespace harness {

/// Deliberately not a std::exception: only code that means to recover (Go's
/// recover) catches it, never a generic `catch (const std::exception&)`.
struct Panic {
  std::string message;
};

/// Thrown by fatal() and fail() outside any execution (sequential use of a
/// model), where there is no execution to end.
struct FatalOutsideExecution {
  std::string message;
};

}  // namespace harness
