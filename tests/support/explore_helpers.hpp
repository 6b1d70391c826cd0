// Helpers shared by the engine's tests.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/explore.hpp"

namespace harness::testing {

/// Explores `program` to exhaustion with dfs; REQUIRES the space to be finite.
Report explore_dfs(const Program& program, std::optional<std::uint32_t> preemption_bound = std::nullopt);

/// Explores `program` with dpor under `bound` (none: unbounded), to the end.
Report explore_dpor(const Program& program, std::optional<std::uint32_t> bound = std::nullopt);

/// The same program explored by plain dfs and by dpor under one bound: the
/// soundness check of partial-order reduction compares them.
struct DfsAndDpor {
  Report dfs;
  Report dpor;
};
/// REQUIRES: dfs's space has at most `dfs_cap` executions, to be exhausted.
DfsAndDpor explore_dfs_and_dpor(const Program& program, std::optional<std::uint32_t> bound,
                                std::uint64_t dfs_cap = UINT64_MAX);

/// Explores `program` to exhaustion with stateful dfs
/// (harness/strategy/stateful.hpp); `states`, if given, receives the number
/// of distinct states it met, `unknown` what kept states unknown ("" if none).
Report explore_stateful(const Program& program, std::uint64_t* states = nullptr, std::string* unknown = nullptr,
                        std::uint64_t max_steps = ExploreSettings{}.max_steps);

/// The `.toml` files of a folder, sorted.
std::vector<std::string> scenario_files(const std::string& folder);

/// The outcome classes a report reached.
std::set<Outcome> outcome_set(const Report& report);

/// n choose k, computed with exact integer arithmetic.
std::uint64_t binomial(std::uint64_t n, std::uint64_t k);

/// A fresh temporary directory for one test.
std::string temp_dir(const std::string& name);

}  // namespace harness::testing
