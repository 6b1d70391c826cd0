// A scenario as a program the engine can run: it builds the maps and
// mutexes, runs each map's `initial` operations, spawns the goroutines
// (interpreting their operations), and checks at the end each map's
// invariants (corruption) and the expected final contents (wrong result).
#pragma once

#include "harness/program.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {

harness::Program make_program(const Scenario& scenario);

}  // namespace interleave
