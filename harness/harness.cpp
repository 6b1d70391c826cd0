#include "harness/harness.hpp"

#include <fmt/format.h>

#include "harness/current.hpp"
#include "harness/execution.hpp"
#include "harness/explore.hpp"

namespace harness {

namespace detail {
thread_local constinit const std::atomic<bool>* tl_stop_request = nullptr;
}  // namespace detail

void point(const Operation& operation) {
  if (Execution* execution = current_execution()) {
    // A stop request (Ctrl-C) ends the execution here, uncounted, rather
    // than after its last step: one may be long (a big --max-steps).
    if (const std::atomic<bool>* stop = detail::tl_stop_request;
        stop != nullptr && stop->load(std::memory_order_relaxed)) [[unlikely]]
      interruption_point();
    execution->point(operation);
  }
}

JoinHandle go(std::string name, std::function<void()> body) {
  Execution* execution = current_execution();
  if (execution == nullptr) throw std::logic_error("harness::go called outside an execution");
  return JoinHandle(execution->spawn(std::move(name), std::move(body)));
}

void JoinHandle::join() const {
  Execution* execution = current_execution();
  if (execution == nullptr) return;
  point(Operation{"go.join", kNoObject, AccessKind::kWait, &execution->join_gate(fiber_)});
  if (execution->detecting_races()) execution->race_join(fiber_);
}

std::uint64_t choose(std::uint64_t options, std::string_view label) {
  Execution* execution = current_execution();
  return execution ? execution->choose(options, label) : 0;
}

void fatal(std::string message) { fail(OutcomeKind::kFatal, std::move(message)); }

void panic(std::string message) { throw Panic{std::move(message)}; }

void recovered(std::string message) {
  if (Execution* execution = current_execution()) execution->recovered(std::move(message));
}

void fail(OutcomeKind kind, std::string message) {
  if (Execution* execution = current_execution()) execution->fail(kind, std::move(message));
  throw FatalOutsideExecution{std::string(to_string(kind)) + ": " + message};
}

void report_failure(OutcomeKind kind, std::string message) {
  Execution* execution = current_execution();
  if (execution == nullptr) throw FatalOutsideExecution{std::string(to_string(kind)) + ": " + message};
  execution->report_failure(kind, std::move(message));
}

std::string located(std::string_view message, SourceLocation where) {
  std::string_view file = where.file_name();
  if (const std::size_t slash = file.find_last_of("/\\"); slash != std::string_view::npos) file.remove_prefix(slash + 1);
  return fmt::format("{} ({}:{})", message, file, where.line());
}

void at_end(std::function<void()> check) {
  if (Execution* execution = current_execution()) execution->at_end(std::move(check));
}

bool recording() {
  Execution* execution = current_execution();
  return execution != nullptr && execution->recording();
}

void note(std::string detail) {
  if (Execution* execution = current_execution()) execution->note(std::move(detail));
}

bool in_execution() { return current_execution() != nullptr; }

bool detecting_races() {
  const Execution* execution = current_execution();
  return execution != nullptr && execution->detecting_races();
}

void race_read(ObjectId object, std::string_view what) {
  Execution* execution = current_execution();
  if (execution != nullptr && execution->detecting_races()) execution->race_access(object, false, what);
}

void race_write(ObjectId object, std::string_view what) {
  Execution* execution = current_execution();
  if (execution != nullptr && execution->detecting_races()) execution->race_access(object, true, what);
}

void race_acquire(ObjectId sync, unsigned part) {
  Execution* execution = current_execution();
  if (execution != nullptr && execution->detecting_races()) execution->race_acquire(sync, part);
}

void race_release(ObjectId sync, unsigned part) {
  Execution* execution = current_execution();
  if (execution != nullptr && execution->detecting_races()) execution->race_release(sync, part);
}

std::string current_goroutine_name() {
  const Execution* execution = current_execution();
  if (execution == nullptr || !execution->in_fiber()) return {};
  return execution->fiber_name(execution->current_fiber());
}

bool tracking_state() {
  const Execution* execution = current_execution();
  return execution != nullptr && execution->tracking_state();
}

void expose_state(const StateSource& source) {
  if (Execution* execution = current_execution()) execution->expose_state(source);
}

void state_untracked(std::string what) {
  if (Execution* execution = current_execution()) execution->state_untracked(std::move(what));
}

void goroutines_leave_no_state() {
  if (Execution* execution = current_execution()) execution->goroutines_leave_no_state();
}

void goroutine_state_is(const StateDigest& local) {
  if (Execution* execution = current_execution()) execution->goroutine_state_is(local);
}

void interruption_point() {
  const std::atomic<bool>* stop = detail::tl_stop_request;
  if (stop == nullptr || !stop->load(std::memory_order_relaxed)) return;
  Execution* execution = current_execution();
  if (execution == nullptr || execution->tearing_down()) return;
  execution->stop(Stop{StopKind::kInterrupted, std::string(kInterruptedExecution)});
}

ObjectId ObjectRef::register_now() {
  Execution* execution = current_execution();
  if (execution == nullptr) return kNoObject;
  if (generation_ != execution->generation()) {
    generation_ = execution->generation();
    id_ = execution->register_object(kind_, name_, source_);
  }
  return id_;
}

}  // namespace harness
