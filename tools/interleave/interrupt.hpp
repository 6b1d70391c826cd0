// Ctrl-C. The first SIGINT asks the running exploration to stop: the
// execution under way ends at its next preemption point or interruption
// point, uncounted, and the report so far is printed and every failing trace
// found is saved (and shrunk, with --shrink). A second one stops that too:
// shrinking ends at once (the traces are saved as found), the report and the
// JSON report are still written. If the process is still busy two seconds
// later (code that never reaches a point where it can stop), or on a third
// Ctrl-C, it ends without writing the rest. Exit 130 in every case.
#pragma once

#include <atomic>

namespace interleave {

void install_interrupt_handler();
/// True once Ctrl-C was pressed.
const std::atomic<bool>& interrupt_requested();
/// True once Ctrl-C was pressed twice: stop everything and write what we have.
const std::atomic<bool>& quit_requested();

}  // namespace interleave
