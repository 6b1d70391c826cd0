// Judging an exploration against a scenario's expectations, and saying why
// one did not hold or could not be established: the outcome is unreachable
// (the whole space was explored), a bound excluded it (every schedule
// within the bound was explored), or the exploration stopped first (its
// budget of executions, the time limit, an interruption) — with the option
// that would change it. The wording depends only on the report and the
// limits, never on time: the same run gives the same verdict.
#pragma once

#include <cstdint>
#include <optional>
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

/// What bounded the exploration being judged, beyond its report.
struct ExploreLimits {
  /// Why the exploration ended before exhausting its space, when it did.
  enum class Stop : unsigned char {
    kBudget,       ///< its budget of executions ran out (or the strategy never exhausts: random, pct)
    kTimeLimit,    ///< --time-limit ran out
    kInterrupted,  ///< a signal (Ctrl-C, SIGTERM, SIGHUP)
  };
  Stop stop = Stop::kBudget;
  /// A bound under which "exhausted" covers only part of the space.
  std::optional<std::uint32_t> preemption_bound;  ///< dfs (and the default mix's dfs)
  std::optional<std::uint32_t> delay_bound;       ///< --strategy delay
};

Verdict judge(const Expectation& expect, const harness::Report& report, const ExploreLimits& limits = {});

}  // namespace interleave
