// What the sync shims need to know of the running execution, without
// including the engine's internals: its generation (to drop state a shim
// kept from an earlier execution) and whether it is unwinding the stacks of
// fibers it abandoned (see Execution::tearing_down). While it is, a shim must
// not raise Go's fatal errors: a guard's destructor calls it mid-unwind,
// where any exception ends the process.
#pragma once

#include <cstdint>

namespace harness::detail {

/// The running execution's generation; 0 outside an execution.
std::uint64_t execution_generation();
/// False outside an execution.
bool tearing_down();

}  // namespace harness::detail
