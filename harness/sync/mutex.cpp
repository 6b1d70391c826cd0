#include "harness/sync/mutex.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "harness/sync/holder_name.hpp"
#include "harness/sync/engine_view.hpp"

namespace harness {

void Mutex::lock() {
  point(Operation{"mutex.lock", ref_.id(), AccessKind::kLock, this});
  if (locked_) {
    // Only reachable outside an execution: inside one, the scheduler runs
    // this step only once the mutex is free.
    throw std::logic_error(fmt::format("Mutex '{}' locked twice outside an execution", ref_.name()));
  }
  take();
}

bool Mutex::try_lock() {
  point(Operation{"mutex.trylock", ref_.id(), AccessKind::kLock, nullptr});
  if (locked_) return false;
  take();
  return true;
}

void Mutex::take() {
  locked_ = true;
  holder_ = detail::running_fiber();
  race_acquire(ref_.id());
}

void Mutex::unlock() {
  point(Operation{"mutex.unlock", ref_.id(), AccessKind::kUnlock, nullptr});
  if (!locked_) {
    // While abandoned fibers unwind, a CondVar waiter's guard may unlock a
    // mutex its wait gave up (condvar.cpp): nothing to report, and a fatal
    // error thrown from that destructor would end the process.
    if (detail::tearing_down()) return;
    fatal("sync: unlock of unlocked mutex");
  }
  race_release(ref_.id());
  locked_ = false;
  holder_.reset();
}

std::string Mutex::describe_wait(FiberId) const {
  return fmt::format("lock of mutex '{}' held by {}", ref_.name(), detail::describe_fiber(holder_));
}

}  // namespace harness
