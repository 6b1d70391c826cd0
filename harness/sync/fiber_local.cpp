#include "harness/sync/fiber_local.hpp"

#include "harness/current.hpp"
#include "harness/execution.hpp"

namespace harness::detail {

FiberLocalKey fiber_local_key() {
  Execution* execution = current_execution();
  if (execution == nullptr) return {};
  FiberLocalKey key{execution->generation(), std::nullopt};
  if (execution->in_fiber()) key.fiber = execution->current_fiber();
  return key;
}

}  // namespace harness::detail
