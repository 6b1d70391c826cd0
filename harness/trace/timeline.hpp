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

/// The pieces, for other views of a trace (the CLI's operation table):
/// a step as its cell shows it (label, object when there is doubt, what it
/// read or wrote), and text measured and padded in characters, not bytes.
std::string step_cell_text(const Trace& trace, const Event& event);
std::size_t display_length(const std::string& text);
/// The lines under a timeline: "=> outcome", the failing step, and where
/// the other goroutines were.
std::string outcome_lines(const Trace& trace);
/// Padded to `width` characters, or cut with "..." (never inside a character).
std::string fit_to_width(const std::string& text, std::size_t width);

}  // namespace harness
