// Helpers shared by the engine's tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "harness/explore.hpp"

namespace harness::testing {

/// Explores `program` to exhaustion with dfs; REQUIRES the space to be finite.
Report explore_dfs(const Program& program, std::optional<std::uint32_t> preemption_bound = std::nullopt);

/// n choose k, computed with exact integer arithmetic.
std::uint64_t binomial(std::uint64_t n, std::uint64_t k);

/// A fresh temporary directory for one test.
std::string temp_dir(const std::string& name);

}  // namespace harness::testing
