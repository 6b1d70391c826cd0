// Ctrl-C: the first SIGINT asks the running exploration to stop after the
// current execution, so the report so far is printed and every failing trace
// found is saved; a second one ends the process at once.
#pragma once

#include <atomic>

namespace interleave {

void install_interrupt_handler();
/// True once Ctrl-C was pressed.
const std::atomic<bool>& interrupt_requested();

}  // namespace interleave
