#include "harness/sync/wait_group.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace harness {

void WaitGroup::add(int delta) {
  point(Operation{"waitgroup.add", ref_.id(), AccessKind::kRmw, nullptr});
  apply(delta);
}

void WaitGroup::done() {
  point(Operation{"waitgroup.done", ref_.id(), AccessKind::kRmw, nullptr});
  apply(-1);
}

void WaitGroup::apply(int delta) {
  race_release(ref_.id());  // what came before Add/Done happens before Wait returns
  counter_ += delta;
  if (counter_ < 0) panic("sync: negative WaitGroup counter");
}

void WaitGroup::wait() {
  point(Operation{"waitgroup.wait", ref_.id(), AccessKind::kWait, this});
  if (counter_ != 0)
    throw std::logic_error(fmt::format("WaitGroup '{}' would block outside an execution", ref_.name()));
  race_acquire(ref_.id());
}

std::string WaitGroup::describe_wait(FiberId) const {
  return fmt::format("Wait on waitgroup '{}' with counter {}", ref_.name(), counter_);
}

}  // namespace harness
