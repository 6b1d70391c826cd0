// Small programs the engine's tests, demo and benchmarks explore.
#pragma once

#include <cstdint>

#include "harness/program.hpp"

namespace examples {

/// `fibers` goroutines, each taking `points` plain preemption points (on
/// distinct objects) and nothing else.
harness::Program independent_points(std::uint32_t fibers, std::uint32_t points);

/// Two goroutines each do `rounds` times: load the shared counter, store
/// load+1 (or, with `use_fetch_add`, one fetch_add). An end check requires
/// the counter to be 2*rounds: the load/store version loses updates.
harness::Program lost_update(std::uint32_t rounds, bool use_fetch_add);

/// The same two goroutines without the end check: the model exactly as the
/// Relacy comparison writes it (Relacy stops at its first failure, so its
/// version asserts nothing).
harness::Program lost_update_unchecked(std::uint32_t rounds);

/// Go's RWMutex trap: a reader read-locks twice while a writer locks; if
/// the writer claims the lock in between, the reader's second RLock waits
/// for the writer, which waits for the reader: a deadlock.
harness::Program recursive_rlock();

/// Two goroutines lock two mutexes in opposite orders.
harness::Program lock_order_inversion();

}  // namespace examples
