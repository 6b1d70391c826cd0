#include "harness/current.hpp"

namespace harness::detail {
thread_local constinit Execution* tl_current_execution = nullptr;
}  // namespace harness::detail
