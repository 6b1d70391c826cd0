// A trace as a person reads it, Lincheck-style: one column per goroutine, one
// row per operation (`m[1] = 2`, `m[0] -> 1`, `mu.Lock()`) with its result
// where the steps say it, in the order the operations started; with `steps`,
// each operation's internal steps (Go runtime names, what they read or
// wrote) folded underneath. Then the outcome, the conflicting pair (marked
// `*` in the table) and a sentence saying why.
#pragma once

#include <string>

#include "harness/trace/trace.hpp"

namespace interleave {

std::string render_timeline(const harness::Trace& trace, bool steps = false);

}  // namespace interleave
