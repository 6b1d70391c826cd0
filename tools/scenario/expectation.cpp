#include "tools/scenario/expectation.hpp"

#include <fmt/format.h>

#include "tools/scenario/patterns.hpp"

namespace interleave {

Verdict judge(const Expectation& expect, const harness::Report& report) {
  Verdict verdict;
  auto fail = [&](std::string why) {
    verdict.held = false;
    verdict.failures.push_back(std::move(why));
  };
  for (const std::string& wanted : expect.reach) {
    bool found = false;
    for (const auto& c : report.classes) found |= pattern_matches(wanted, c.outcome);
    if (!found) fail(fmt::format("expected to reach '{}', but no execution did", wanted));
  }
  for (const std::string& forbidden : expect.never)
    for (const auto& c : report.classes)
      if (pattern_matches(forbidden, c.outcome))
        fail(fmt::format("'{}' must never happen, but {} execution(s) ended with {}", forbidden, c.count,
                         harness::describe(c.outcome)));
  const bool final_checked = expect.final_contents || expect.final_len;
  if (expect.every_ok || (final_checked && expect.reach.empty() && expect.never.empty())) {
    for (const auto& c : report.classes)
      if (!c.outcome.ok())
        fail(fmt::format("every schedule must pass, but {} execution(s) ended with {}", c.count,
                         harness::describe(c.outcome)));
  }
  for (const auto& c : report.classes)
    if (c.outcome.kind == harness::OutcomeKind::kDivergence)
      fail(fmt::format("the scenario is not deterministic: {}", c.outcome.message));
  if ((expect.every_ok || !expect.never.empty()) && !report.exhausted && verdict.held)
    verdict.caveats.push_back(fmt::format("checked over {} executions; the space was not exhausted", report.executions));
  return verdict;
}

}  // namespace interleave
