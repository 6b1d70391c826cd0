// Classic programs of SCTBench (Thomson, Donaldson & Betts, "Concurrency
// testing using controlled schedulers: an empirical study", PPoPP 2014 /
// TOPC 2016), written again on the engine's API: the same threads, shared
// state and bug as the originals (most from the "CS" suite, after ESBMC and
// the Inspect benchmarks), not their code.
//
// As in the study, the visible operations are the synchronisation
// operations and the racy accesses: a variable every thread touches only
// under one lock is a plain int; a racy one is a harness::Atomic (each load
// or store a preemption point). Threads are spawned in the original's
// creation order, so round robin meets them in the same order. Busy waits
// on a flag become a blocking wait on an event (the same schedules, without
// unbounded spinning).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "harness/outcome.hpp"
#include "harness/program.hpp"

namespace sctbench {

struct Port {
  std::string name;           ///< the SCTBench name, without "CS." and "_bad": "reorder_10"
  std::string bug;            ///< what goes wrong, in one line
  harness::OutcomeKind kind;  ///< how an execution that hits the bug ends
  harness::Program buggy;
  /// The program with the bug fixed, where a natural fix exists: no
  /// schedule fails.
  std::optional<harness::Program> correct;
  /// All its shared state is in shims that report it (no plain int or
  /// array shared between goroutines), so stateful search applies; the other
  /// ports keep plain shared memory it cannot see (see docs/library.md).
  bool state_in_objects = false;
};

/// account, bluetooth_driver, circular_buffer, deadlock01, lazy01, queue,
/// reorder_3, reorder_5, reorder_10, reorder_20, stack, token_ring,
/// twostage, wronglock.
std::vector<Port> ports();

}  // namespace sctbench
