#include "harness/sync/engine_view.hpp"

#include "harness/current.hpp"
#include "harness/execution.hpp"

namespace harness::detail {

std::uint64_t execution_generation() {
  const Execution* execution = current_execution();
  return execution == nullptr ? 0 : execution->generation();
}

bool tearing_down() {
  const Execution* execution = current_execution();
  return execution != nullptr && execution->tearing_down();
}

}  // namespace harness::detail
