// How the sync shims name a fiber in their wait descriptions.
#pragma once

#include <optional>
#include <string>

#include "harness/ids.hpp"

namespace harness::detail {

/// "goroutine 1 'writer'", or "no goroutine" when nobody holds it.
std::string describe_fiber(std::optional<FiberId> fiber);
/// The running fiber, if an execution is running one.
std::optional<FiberId> running_fiber();

}  // namespace harness::detail
