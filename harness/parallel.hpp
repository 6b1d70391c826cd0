// Exploring on several threads, and merging reports of parts of a space.
//
// Each worker thread has its own engine (Execution, StackPool) and strategy,
// and explores its own part of the space: the strategy wrapped in a
// ShardedStrategy (harness/strategy/sharded.hpp). The merge is deterministic: counts
// add up, and each outcome class keeps the execution with the smallest
// Strategy::position().order_key, the one an unsharded run meets first, so the report
// and the saved traces do not depend on the number of threads or shards.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "harness/explore.hpp"
#include "harness/strategy/sharded.hpp"

namespace harness {

/// Combines reports of disjoint shards of one space. `first_execution` of a
/// merged class is the shard-local number of its chosen execution.
Report merge_reports(std::vector<Report> parts);

/// Makes a fresh strategy, the same each time: one for each thread.
using StrategyFactory = std::function<std::unique_ptr<Strategy>()>;

/// Explores shard `shard.index` of `shard.count` on `threads` threads, each
/// taking its part (the thread fields of `shard` are not used);
/// settings.progress is called from this thread with the totals. Throws
/// std::invalid_argument if the strategy cannot be divided (dpor) and the
/// run is not whole: one shard on one thread.
Report explore_parallel(const Program& program, const StrategyFactory& make_strategy, Shard shard,
                        std::uint32_t threads, const ExploreSettings& settings);

/// As explore_parallel, for a strategy that runs the executions of its part
/// in order_key() order and stops after `cap` of them (dfs): the report is
/// that of the first `cap` executions of `shard` in that order, which is
/// what one thread reports, whatever the number of threads. The threads'
/// executions are merged in key order as they come; each thread runs at
/// most `cap` of its own, and all stop once the first `cap` are known.
Report explore_parallel_capped(const Program& program, const StrategyFactory& make_strategy, Shard shard,
                               std::uint32_t threads, std::uint64_t cap, const ExploreSettings& settings);

}  // namespace harness
