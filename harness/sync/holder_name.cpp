#include "harness/sync/holder_name.hpp"

#include <fmt/format.h>

#include "harness/current.hpp"
#include "harness/execution.hpp"

namespace harness::detail {

std::string describe_fiber(std::optional<FiberId> fiber) {
  if (!fiber) return "no goroutine";
  Execution* execution = current_execution();
  if (execution == nullptr) return fmt::format("goroutine {}", index(*fiber));
  return fmt::format("goroutine {} '{}'", index(*fiber), execution->fiber_name(*fiber));
}

std::optional<FiberId> running_fiber() {
  Execution* execution = current_execution();
  if (execution == nullptr || !execution->in_fiber()) return std::nullopt;
  return execution->current_fiber();
}

}  // namespace harness::detail
