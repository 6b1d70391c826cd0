// The one header for a C++ user of the engine: what code under test calls
// (point, go, choose, check, at_end, …), the sync shims (Mutex, RWMutex,
// Atomic<T>, WaitGroup), programs and exploration (Program, StackPool,
// explore, Report, explore_parallel), the strategies (dfs, dfs with DPOR,
// random walk, PCT, replay) and traces (write_trace, save_trace, load_trace).
//
// Code under test may include only harness/harness.hpp and the shims it
// uses; a test that explores it includes this. Logging (harness/log.hpp,
// spdlog) is left out: include it to call harness::configure_logging.
#pragma once

#include "harness/harness.hpp"

#include "harness/sync/atomic.hpp"
#include "harness/sync/cell.hpp"
#include "harness/sync/chan.hpp"
#include "harness/sync/condvar.hpp"
#include "harness/sync/fiber_local.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/sync/once.hpp"
#include "harness/sync/rwmutex.hpp"
#include "harness/sync/wait_group.hpp"

#include "harness/explore.hpp"
#include "harness/fiber/stack_pool.hpp"
#include "harness/parallel.hpp"
#include "harness/program.hpp"

#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/strategy/replay.hpp"
#include "harness/strategy/sharded.hpp"
#include "harness/strategy/stateful.hpp"
#include "harness/strategy/strategy.hpp"

#include "harness/trace/trace.hpp"
