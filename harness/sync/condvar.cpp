#include "harness/sync/condvar.hpp"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

#include "harness/sync/engine_view.hpp"
#include "harness/sync/holder_name.hpp"

namespace harness {

void CondVar::wait(Mutex& mu) {
  const std::optional<FiberId> fiber = detail::running_fiber();
  if (!fiber) {
    // Outside a goroutine nobody could notify while this waits (on the
    // host, setup or at_end, no goroutine runs until it returns).
    throw std::logic_error(fmt::format("CondVar '{}' would wait forever outside an execution", ref_.name()));
  }
  drop_earlier_executions();
  // Joining the waiters is its own step, before the unlock: a notify that
  // runs between the two wakes this waiter (as Go's notify list).
  point(Operation{"cond.wait", ref_.id(), AccessKind::kRmw, nullptr});
  const std::uint64_t ticket = next_ticket_++;
  waiters_.push_back(Waiter{ticket, *fiber, false});
  mu.unlock();
  try {
    if (options_.spurious_wakeups && choose(2, "cond.spurious") == 1) {
      // Woken without a notify: leaves the waiters and reacquires.
      point(Operation{"cond.spurious-wake", ref_.id(), AccessKind::kRmw, nullptr});
    } else {
      point(Operation{"cond.wake", ref_.id(), AccessKind::kWait, this});
    }
    forget(ticket);
    mu.lock();
  } catch (...) {
    // The execution ended while this fiber waited to be woken or to relock
    // (a deadlock, a failure elsewhere, a pruned schedule) and its stack
    // unwinds through the caller's guard, which unlocks `mu`: give the mutex
    // back when it is free, as std::condition_variable does. Points are
    // no-ops while unwinding, so this cannot block; when another fiber holds
    // it, the guard's unlock clears it and that fiber's own unlock is then
    // let pass (Mutex::unlock while tearing down).
    (void)mu.try_lock();
    throw;
  }
}

void CondVar::drop_earlier_executions() {
  // Waiters left by an execution that ended while they were blocked (a
  // CondVar that outlives executions): they must not count in this one.
  if (const std::uint64_t now = detail::execution_generation(); generation_ != now) {
    generation_ = now;
    waiters_.clear();
  }
}

void CondVar::notify_one() {
  point(Operation{"cond.signal", ref_.id(), AccessKind::kRmw, nullptr});
  drop_earlier_executions();
  std::vector<Waiter*> sleeping;
  for (Waiter& waiter : waiters_)
    if (!waiter.notified) sleeping.push_back(&waiter);
  if (sleeping.empty()) return;
  // Oldest first: choice 0 is Go's pick, the others C++'s freedom.
  const std::uint64_t pick = sleeping.size() == 1 ? 0 : choose(sleeping.size(), "cond.signal-which");
  sleeping[pick]->notified = true;
}

void CondVar::notify_all() {
  point(Operation{"cond.broadcast", ref_.id(), AccessKind::kRmw, nullptr});
  drop_earlier_executions();
  for (Waiter& waiter : waiters_) waiter.notified = true;
}

const CondVar::Waiter* CondVar::find(FiberId fiber) const {
  auto it = std::find_if(waiters_.begin(), waiters_.end(), [fiber](const Waiter& w) { return w.fiber == fiber; });
  return it == waiters_.end() ? nullptr : &*it;
}

void CondVar::forget(std::uint64_t ticket) {
  std::erase_if(waiters_, [ticket](const Waiter& w) { return w.ticket == ticket; });
}

bool CondVar::enabled(FiberId fiber) const {
  const Waiter* waiter = find(fiber);
  return waiter != nullptr && waiter->notified;
}

std::string CondVar::describe_wait(FiberId) const {
  return fmt::format("Wait on cond '{}' never notified", ref_.name());
}

}  // namespace harness
