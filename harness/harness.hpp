// The one header code under test includes.
//
// Every visible step of the code under test announces itself with point():
// what it is about to do (a label naming the step), to which shared object,
// and how. The scheduler may switch to another fiber only there. Outside an
// execution every call here is a no-op, so models also run plainly.
#pragma once

#include <cstdint>
#include <functional>
#include <source_location>
#include <string>
#include <string_view>

#include "harness/access.hpp"
#include "harness/current.hpp"
#include "harness/ids.hpp"
#include "harness/operation.hpp"
#include "harness/outcome.hpp"
#include "harness/panic.hpp"
#include "harness/state/state_source.hpp"

namespace harness {

/// A preemption point. REQUIRES: `label` outlives the execution and has no
/// white space (a string literal such as "mapassign.set-writing").
void point(const Operation& operation);
inline void point(std::string_view label, ObjectId object = kNoObject, AccessKind access = AccessKind::kNone) {
  point(Operation{label, object, access, nullptr});
}

/// Spawns a goroutine. It runs at once up to its first preemption point (code
/// before it touches nothing shared) and is scheduled from there on.
class JoinHandle {
 public:
  JoinHandle() = default;
  explicit JoinHandle(FiberId fiber) : fiber_(fiber) {}
  FiberId fiber() const { return fiber_; }
  /// Waits until the goroutine has finished (a preemption point).
  void join() const;

 private:
  FiberId fiber_{};
};
JoinHandle go(std::string name, std::function<void()> body);

/// A data choice in [0, options): recorded, replayed and explored like a
/// scheduling choice; returns 0 outside an execution. REQUIRES: `label`
/// outlives the execution (a string literal).
std::uint64_t choose(std::uint64_t options, std::string_view label);

/// Ends the execution with Go's fatal error `message`; nothing recovers it.
[[noreturn]] void fatal(std::string message);
/// Raises a Go panic (throws harness::Panic); recover by catching it.
[[noreturn]] void panic(std::string message);
/// Tells the engine that the running goroutine recovered the panic
/// `message` (call it where the catch stops the panic). An execution that
/// otherwise ends ok then ends `ok (recovered: message)`, naming the first
/// panic recovered: a recover hides a failure from Go's exit status, not
/// from the report.
void recovered(std::string message);
/// Ends the execution with a failure of the given kind.
[[noreturn]] void fail(OutcomeKind kind, std::string message);
/// Reports a failure of the given kind. In a goroutine it ends the
/// execution and does not return; on the host (setup, end checks) it records
/// the failure and returns, so end checks stay cheap (no exception).
void report_failure(OutcomeKind kind, std::string message);
/// Where a check is in the source. std::source_location where the standard
/// library has it; clang 14 with libstdc++ 12 (Debian 12) lacks it, so the
/// default comes from the __builtin_FILE/__builtin_LINE both compilers have.
class SourceLocation {
 public:
  constexpr SourceLocation() = default;
  constexpr SourceLocation(const char* file, std::uint_least32_t line) : file_(file), line_(line) {}
#if defined(__cpp_lib_source_location)
  constexpr SourceLocation(const std::source_location& where)  // NOLINT(google-explicit-constructor)
      : file_(where.file_name()), line_(where.line()) {}
#endif
  /// The caller's location, as a default argument.
  static constexpr SourceLocation current(const char* file = __builtin_FILE(),
                                          std::uint_least32_t line = __builtin_LINE()) {
    return SourceLocation(file, line);
  }
  constexpr const char* file_name() const { return file_; }
  constexpr std::uint_least32_t line() const { return line_; }

 private:
  const char* file_ = "";
  std::uint_least32_t line_ = 0;
};

/// "message (file.cpp:42)": `where`'s file name without its directories
/// (the compiler's path would differ between checkouts, and outcome messages
/// are part of traces, which must replay byte for byte anywhere).
std::string located(std::string_view message, SourceLocation where);
/// An assertion of the code under test (see report_failure). Its failure
/// says where the check is: "lost update (my_test.cpp:17)".
inline void check(bool condition, std::string_view message, SourceLocation where = SourceLocation::current()) {
  if (!condition) report_failure(OutcomeKind::kAssertion, located(message, where));
}

/// Runs `check` on the host after every goroutine has finished cleanly; it
/// may call check()/fail() to turn the outcome into a failure.
void at_end(std::function<void()> check);

/// True while the event log is being recorded; guard costly note() text with it.
bool recording();
/// Attaches a detail (what the step read or wrote) to the step being taken.
void note(std::string detail);

bool in_execution();

/// Data-race detection (ExecutionSettings::detect_races; otherwise these do
/// nothing, at the cost of a branch). None is a preemption point.
/// A logical access to `object` by the running goroutine, at the
/// granularity races are reported at (Go's map: one per map call).
/// REQUIRES: `what` outlives the execution (a string literal).
void race_read(ObjectId object, std::string_view what);
/// Whether the running execution detects races (guard for a costly argument).
bool detecting_races();
void race_write(ObjectId object, std::string_view what);
/// Synchronisation on `sync`: what a goroutine did before a release there
/// happens before what another does after a later acquire there. `part`
/// (0 or 1) gives one object two clocks (an RWMutex's writers and readers).
void race_acquire(ObjectId sync, unsigned part = 0);
void race_release(ObjectId sync, unsigned part = 0);
/// The running goroutine's name; "" outside a goroutine (setup, end checks)
/// or outside an execution.
std::string current_goroutine_name();

/// For code that can run long without reaching a preemption point (an
/// interpreter's loop): when the exploration was asked to stop (Ctrl-C),
/// ends the running execution at once; it is not counted. A no-op when no
/// stop was asked, outside an exploration, and while a trace is recorded or
/// replayed. Cheap: one thread-local read. (Every point() does the same.)
void interruption_point();

/// Stateful search (harness/state/state_source.hpp). Whether the running
/// execution keeps the program's state digest (guard for costly work).
bool tracking_state();
/// State the program keeps outside any object (an interpreter's counters):
/// part of every state digest from now on in this execution.
/// REQUIRES: `source` outlives the execution.
void expose_state(const StateSource& source);
/// The execution keeps state no source reports (`what` names it, e.g. "a
/// history log"): stateful search prunes nothing in it and says so.
void state_untracked(std::string what);
/// Tells stateful search that a goroutine leaves nothing behind when it
/// finishes but what its objects hold (its locals die with it, nothing it
/// computed is read later by plain memory): two runs that differ only in
/// how finished goroutines got where they are are then one state. Call it in
/// the program's setup.
void goroutines_leave_no_state();
/// Tells stateful search that the running goroutine's whole local state is
/// now `local` (what it does from here depends on nothing else but the
/// shared objects): how it got here is forgotten, so that schedules that
/// brought it here along different paths merge. An interpreter calls it
/// between statements. A no-op outside a goroutine.
void goroutine_state_is(const StateDigest& local);

/// A shared object's identity within the current execution, registered on
/// first use. Shims hold one; objects are numbered in order of first use.
/// `source`, if any, reports the object's state to stateful search.
/// REQUIRES: `source` outlives every execution the object is used in.
class ObjectRef {
 public:
  ObjectRef(std::string_view kind, std::string name, const StateSource* source = nullptr)
      : kind_(kind), name_(std::move(name)), source_(source) {}
  /// kNoObject outside an execution. Inline: it is read at every step.
  ObjectId id() {
    if (generation_ == detail::tl_current_generation && detail::tl_current_execution != nullptr) [[likely]]
      return id_;
    return register_now();
  }
  /// The generation of the run it was last registered in (0: never).
  std::uint64_t generation() const { return generation_; }
  const std::string& name() const { return name_; }

 private:
  ObjectId register_now();

  std::string_view kind_;  ///< REQUIRES: a string literal
  std::string name_;
  const StateSource* source_ = nullptr;
  std::uint64_t generation_ = 0;
  ObjectId id_ = kNoObject;
};

}  // namespace harness
