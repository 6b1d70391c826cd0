#include "harness/current.hpp"

namespace harness::detail {
thread_local constinit Execution* tl_current_execution = nullptr;
thread_local constinit std::uint64_t tl_current_generation = 0;
}  // namespace harness::detail
