// A trace's steps grouped into the operations a program made: `m[1] = 2`,
// `v := m[3]`, `for range m`, `mu.Lock()`. The models mark no boundaries
// beyond their labels, so an operation is found from them: it starts at a
// step whose label is an entry point (a map function's first check, such as
// `mapassign.check-writing`, `mapiterinit`, `mapassign.nil`, or any step of
// a single-step kind: mutex, atomic, channel ...) and takes in the same
// goroutine's following steps that are internal to it (the rest of its map
// function and the helpers it calls: hashGrow, evacuate, newoverflow,
// mapiternext for a range). Every step belongs to exactly one operation;
// operations are listed in the order they started.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "harness/trace/trace.hpp"

namespace interleave {

struct OperationRow {
  std::size_t fiber = 0;
  std::vector<std::size_t> events;  ///< indices into Trace::events, in order
  std::string call;                 ///< "m[1] = 2", "m[0]", "range m", "mutex.lock (mu)"
  std::string result;               ///< "-> 1", "-> absent", "yields 0 = 0, 1 = 1"; may be empty
};

struct OperationTable {
  std::vector<OperationRow> rows;  ///< by first step
  /// For each event, the row it belongs to.
  std::vector<std::size_t> row_of_event;
};

OperationTable group_operations(const harness::Trace& trace);

/// "m[1] = 2 -> ..." as one cell: the call, then the result if any.
std::string operation_text(const OperationRow& row);

}  // namespace interleave
