#include "harness/sync/rwmutex.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "harness/sync/holder_name.hpp"

namespace harness {

bool RWMutex::Gate::enabled(FiberId) const {
  switch (kind) {
    case Kind::kClaim: return !owner->writer_;
    case Kind::kDrain: return owner->readers_ == 0;
    case Kind::kRead: return !owner->writer_;
  }
  return true;
}

std::string RWMutex::Gate::describe_wait(FiberId) const {
  const std::string& name = owner->ref_.name();
  switch (kind) {
    case Kind::kClaim:
      return fmt::format("Lock of rwmutex '{}' claimed by writer {}", name, detail::describe_fiber(owner->writer_));
    case Kind::kDrain:
      return fmt::format("Lock of rwmutex '{}' waits for {} reader(s) to RUnlock", name, owner->readers_);
    case Kind::kRead:
      return fmt::format("RLock of rwmutex '{}' blocked by writer {}", name, detail::describe_fiber(owner->writer_));
  }
  return {};
}

void RWMutex::lock() {
  point(Operation{"rwmutex.lock", ref_.id(), AccessKind::kLock, &claim_gate_});
  if (writer_) throw std::logic_error(fmt::format("RWMutex '{}' locked twice outside an execution", ref_.name()));
  writer_ = detail::running_fiber().value_or(FiberId{0});
  // Waiting for readers to leave, not a second acquisition: partial-order
  // reduction reverses lock races at the claim.
  point(Operation{"rwmutex.lock-wait-readers", ref_.id(), AccessKind::kWait, &drain_gate_});
  if (readers_ != 0) throw std::logic_error(fmt::format("RWMutex '{}' write-locked while read-locked", ref_.name()));
  writer_inside_ = true;
  // After the last writer and every reader that has left (Go's -race: Lock
  // acquires both the writers' and the readers' clocks).
  race_acquire(ref_.id(), 0);
  race_acquire(ref_.id(), 1);
}

void RWMutex::unlock() {
  point(Operation{"rwmutex.unlock", ref_.id(), AccessKind::kUnlock, nullptr});
  if (!writer_inside_) fatal("sync: Unlock of unlocked RWMutex");
  race_release(ref_.id(), 0);
  writer_inside_ = false;
  writer_.reset();
}

void RWMutex::rlock() {
  point(Operation{"rwmutex.rlock", ref_.id(), AccessKind::kRLock, &read_gate_});
  if (writer_) throw std::logic_error(fmt::format("RWMutex '{}' read-locked while write-locked", ref_.name()));
  ++readers_;
  race_acquire(ref_.id(), 0);  // after the last writer, not after other readers
}

void RWMutex::runlock() {
  point(Operation{"rwmutex.runlock", ref_.id(), AccessKind::kRUnlock, nullptr});
  if (readers_ == 0) fatal("sync: RUnlock of unlocked RWMutex");
  race_release(ref_.id(), 1);
  --readers_;
}

}  // namespace harness
