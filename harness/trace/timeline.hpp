// A trace as a person reads it: one column per goroutine (or thread), one
// row per step, each step by its label with what it read or wrote; then the
// outcome and the conflicting pair (the failing step, and where the others
// were parked). Shared by the CLI (show, replay, shrink) and the Catch2
// entry point (harness/catch2/explore.hpp).
#pragma once

#include <string>

#include "harness/trace/trace.hpp"

namespace harness {

std::string render_timeline(const Trace& trace);

}  // namespace harness
