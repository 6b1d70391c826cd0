// For the sync shims: whether the running execution is unwinding the stacks
// of fibers it abandoned (see Execution::tearing_down). While it is, a shim
// must not raise Go's fatal errors: a guard's destructor calls it mid-unwind,
// where any exception ends the process.
#pragma once

namespace harness::detail {

/// False outside an execution.
bool tearing_down();

}  // namespace harness::detail
