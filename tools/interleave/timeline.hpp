// A trace as a person reads it: one column per goroutine, one row per step,
// each step by its Go name with what it read or wrote; then the outcome and
// the conflicting pair (the failing step, and where the others were parked).
#pragma once

#include <string>

#include "harness/trace/trace.hpp"

namespace interleave {

std::string render_timeline(const harness::Trace& trace);

}  // namespace interleave
