// Outcome patterns in expectations: "kind" matches every outcome of that
// kind, "kind: message" exactly that one ("fatal: concurrent map writes").
#pragma once

#include <optional>
#include <string>

#include "harness/outcome.hpp"

namespace interleave {

/// nullopt if `pattern` is well formed, else what is wrong with it.
std::optional<std::string> check_pattern(const std::string& pattern);
bool pattern_matches(const std::string& pattern, const harness::Outcome& outcome);
/// Whether some outcome could match both patterns.
bool patterns_overlap(const std::string& a, const std::string& b);

}  // namespace interleave
