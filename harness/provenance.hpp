// The settings that produced an exploration or a trace (strategy, seed,
// bound…), in the order a trace header lists them. A plain data header.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace harness {

using Provenance = std::vector<std::pair<std::string, std::string>>;

/// Whether the settings detected data races (`races=on`): a replay of their
/// traces must too, to reach the same outcome.
inline bool races_on(const Provenance& provenance) {
  for (const auto& [key, value] : provenance)
    if (key == "races" && value == "on") return true;
  return false;
}

}  // namespace harness
