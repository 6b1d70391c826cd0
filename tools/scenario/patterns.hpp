// Outcome patterns in expectations: "kind" matches every outcome of that
// kind, "kind: message" exactly that one ("fatal: concurrent map writes").
// An ok execution in which a goroutine recovered a panic prints as
// "ok (recovered: message)": that text matches exactly it, "ok (recovered)"
// every such execution, and "ok (clean)" only the ok executions that
// recovered nothing.
#pragma once

#include <optional>
#include <string>

#include "harness/outcome.hpp"

namespace interleave {

/// nullopt if `pattern` is well formed, else what is wrong with it.
std::optional<std::string> check_pattern(const std::string& pattern);
bool pattern_matches(const std::string& pattern, const harness::Outcome& outcome);
/// The outcome kind a well-formed pattern names.
std::optional<harness::OutcomeKind> pattern_kind(const std::string& pattern);
/// Whether some outcome could match both patterns.
bool patterns_overlap(const std::string& a, const std::string& b);

}  // namespace interleave
