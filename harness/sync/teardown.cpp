#include "harness/sync/teardown.hpp"

#include "harness/current.hpp"
#include "harness/execution.hpp"

namespace harness::detail {

bool tearing_down() {
  const Execution* execution = current_execution();
  return execution != nullptr && execution->tearing_down();
}

}  // namespace harness::detail
