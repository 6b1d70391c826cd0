#include "tools/scenario/expectation.hpp"

#include <fmt/format.h>

#include "tools/scenario/patterns.hpp"

namespace interleave {
namespace {

std::string plural(std::uint64_t n, const char* one, const char* many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

/// "every schedule with at most 2 preemptions", or "" when nothing bounds
/// the space the exploration exhausted.
std::string bounded_space(const ExploreLimits& limits) {
  if (limits.preemption_bound)
    return fmt::format("every schedule with at most {}", plural(*limits.preemption_bound, "preemption", "preemptions"));
  if (limits.delay_bound)
    return fmt::format("every schedule of round robin with at most {}", plural(*limits.delay_bound, "delay", "delays"));
  return {};
}

/// The option that would explore past the bound.
std::string bound_option(const ExploreLimits& limits) {
  return limits.preemption_bound ? "raise --preemption-bound, or drop it, to explore more" : "raise --delay-bound to explore more";
}

/// Executions cut at the step bound: an outcome may lie beyond it.
std::string step_bound_note(const harness::Report& report) {
  const harness::OutcomeClass* cut = report.find(harness::OutcomeKind::kStepBound);
  if (cut == nullptr) return {};
  return fmt::format("; {} stopped at the step bound, and what lies past it was not explored (raise --max-steps)",
                     plural(cut->count, "execution", "executions"));
}

/// Why the exploration did not establish `wanted` was reached: each cause
/// with the option that would change it.
std::string why_not_reached(const std::string& wanted, const harness::Report& report, const ExploreLimits& limits) {
  const std::string explored = plural(report.executions, "execution", "executions");
  if (report.exhausted) {
    const std::string space = bounded_space(limits);
    if (space.empty())
      return fmt::format("expected to reach '{}', but it is unreachable: every schedule was explored ({}, the space "
                         "is exhausted) and none reached it{}",
                         wanted, explored, step_bound_note(report));
    return fmt::format("expected to reach '{}', but the bound excluded it: {} was explored ({}) and none reached it; "
                       "{}{}",
                       wanted, space, explored, bound_option(limits), step_bound_note(report));
  }
  switch (limits.stop) {
    case ExploreLimits::Stop::kTimeLimit:
      if (report.executions == 0)
        return fmt::format("expected to reach '{}': not reached within the time limit, which ran out before any "
                           "execution of this scenario ended (raise --time-limit)",
                           wanted);
      return fmt::format("expected to reach '{}': not reached within the time limit ({} explored, the space not "
                         "exhausted; raise --time-limit)",
                         wanted, explored);
    case ExploreLimits::Stop::kInterrupted:
      return fmt::format("expected to reach '{}': not reached before the run was interrupted ({} explored)", wanted,
                         explored);
    case ExploreLimits::Stop::kBudget: break;
  }
  return fmt::format("expected to reach '{}': not reached within the budget ({} explored, the space not exhausted; "
                     "raise --executions)",
                     wanted, explored);
}

/// What a held `never` or every-schedule expectation covered, when not every
/// schedule; "" when it covered them all.
std::string coverage_caveat(const harness::Report& report, const ExploreLimits& limits) {
  const std::string explored = plural(report.executions, "execution", "executions");
  if (report.exhausted) {
    const std::string space = bounded_space(limits);
    if (space.empty()) return {};
    return fmt::format("checked {} ({}); {}", space, explored, bound_option(limits));
  }
  switch (limits.stop) {
    case ExploreLimits::Stop::kTimeLimit:
      return fmt::format("checked over {}; the time limit ran out before the space was exhausted (raise --time-limit)",
                         explored);
    case ExploreLimits::Stop::kInterrupted:
      return fmt::format("checked over {}; interrupted before the space was exhausted", explored);
    case ExploreLimits::Stop::kBudget: break;
  }
  return fmt::format("checked over {}; the space was not exhausted (raise --executions)", explored);
}

}  // namespace

Verdict judge(const Expectation& expect, const harness::Report& report, const ExploreLimits& limits) {
  Verdict verdict;
  auto fail = [&](std::string why) {
    verdict.held = false;
    verdict.failures.push_back(std::move(why));
  };
  for (const std::string& wanted : expect.reach) {
    bool found = false;
    for (const auto& c : report.classes) found |= pattern_matches(wanted, c.outcome);
    if (!found) fail(why_not_reached(wanted, report, limits));
  }
  for (const std::string& forbidden : expect.never)
    for (const auto& c : report.classes)
      if (pattern_matches(forbidden, c.outcome))
        fail(fmt::format("'{}' must never happen, but {} execution(s) ended with {}", forbidden, c.count,
                         harness::describe(c.outcome)));
  const bool final_checked = expect.final_contents || expect.final_len;
  const bool every_ok = expect.every_ok || (final_checked && expect.reach.empty() && expect.never.empty());
  if (every_ok) {
    for (const auto& c : report.classes)
      if (!c.outcome.ok())
        fail(fmt::format("every schedule must pass, but {} execution(s) ended with {}", c.count,
                         harness::describe(c.outcome)));
  }
  for (const auto& c : report.classes)
    if (c.outcome.kind == harness::OutcomeKind::kDivergence)
      fail(fmt::format("the scenario is not deterministic: {}", c.outcome.message));
  const bool checks_all = expect.every_ok || !expect.never.empty();
  if (checks_all && verdict.held && report.executions == 0 && limits.stop == ExploreLimits::Stop::kTimeLimit) {
    // Nothing was checked: holding vacuously would pass a CI job that never ran the scenario.
    fail("not checked: the time limit ran out before any execution of this scenario ended (raise --time-limit)");
  } else if (checks_all && verdict.held) {
    if (std::string caveat = coverage_caveat(report, limits); !caveat.empty()) verdict.caveats.push_back(std::move(caveat));
  }
  return verdict;
}

}  // namespace interleave
