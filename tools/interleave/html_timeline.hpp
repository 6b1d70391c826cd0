// A trace as one self-contained HTML page: inline CSS and a small inline
// script, nothing loaded from the network. One lane (column) per goroutine,
// one block per operation in the order operations started, its steps inside
// (a <details> element: expandable without the script), the conflicting pair
// highlighted (class "pair"), each step's full record on hover (title).
// Everything taken from the trace is HTML-escaped. The bytes depend on the
// trace alone: the same trace gives the same page. The DOM is linear in the
// number of steps, so a 1,000-step trace stays readable; lanes scroll.
//
// Elements a test may rely on: #lanes th.lane (one per goroutine),
// .op (one per operation), .op.pair (the operations of the pair),
// li.step, li.step.pair, #outcome, and #loaded (added by the script once it
// ran without error; #script-error instead if something threw).
#pragma once

#include <string>
#include <string_view>

#include "harness/trace/trace.hpp"

namespace interleave {

std::string render_html_timeline(const harness::Trace& trace);

/// `text` with & < > " ' replaced by entities.
std::string html_escape(std::string_view text);

}  // namespace interleave
