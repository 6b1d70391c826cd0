// The steps that explain a failing trace, found from its events alone:
//   fatal        the write that set (or cleared) the map's flag, and the check that saw it;
//   corruption   the two map writes whose steps overlapped;
//   wrong-result the stale read, and the other goroutine's write that read missed
//                (the update the reader's own write then overwrote);
//   deadlock     each goroutine's blocked step of the wait-for cycle;
//   race         the two accesses the race detector found unordered;
//   otherwise    the failing step.
// Empty for a trace that ends well. Each pick also says why, in a sentence.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "harness/trace/trace.hpp"
#include "tools/interleave/operation_table.hpp"

namespace interleave {

struct ConflictingPair {
  std::vector<std::size_t> events;  ///< indices into Trace::events, ascending, no repeats
  std::string why;                  ///< one sentence, empty when nothing was found
};

ConflictingPair find_conflicting_pair(const harness::Trace& trace, const OperationTable& table);

/// Whether event `i` is one of the pair's.
bool marked(const ConflictingPair& pair, std::size_t i);

}  // namespace interleave
