// Exploring on several threads, and merging reports of parts of a space.
//
// Each worker thread has its own engine (Execution, StackPool) and explores
// its own shard of the strategy's space. The merge is deterministic: counts
// add up, and each outcome class keeps the execution with the smallest
// Strategy::position().order_key, the one an unsharded run meets first, so the report
// and the saved traces do not depend on the number of threads or shards.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "harness/explore.hpp"

namespace harness {

/// Combines reports of disjoint shards of one space. `first_execution` of a
/// merged class is the shard-local number of its chosen execution.
Report merge_reports(std::vector<Report> parts);

using StrategyFactory = std::function<std::unique_ptr<Strategy>(Shard)>;

/// Explores `shard` (of the whole space) on `threads` threads, each taking
/// an equal sub-shard; settings.progress is called from this thread with the
/// totals.
Report explore_parallel(const Program& program, const StrategyFactory& make_strategy, Shard shard,
                        std::uint32_t threads, const ExploreSettings& settings);

}  // namespace harness
