// The settings that produced an exploration or a trace (strategy, seed,
// bound…), in the order a trace header lists them. A plain data header.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace harness {

using Provenance = std::vector<std::pair<std::string, std::string>>;

}  // namespace harness
