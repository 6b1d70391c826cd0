// Judging an exploration against a scenario's expectations.
#pragma once

#include <string>
#include <vector>

#include "harness/explore.hpp"
#include "tools/scenario/scenario.hpp"

namespace interleave {

struct Verdict {
  bool held = true;
  std::vector<std::string> failures;  ///< why it did not hold
  std::vector<std::string> caveats;   ///< what it could not establish (space not exhausted)
};

Verdict judge(const Expectation& expect, const harness::Report& report);

}  // namespace interleave
