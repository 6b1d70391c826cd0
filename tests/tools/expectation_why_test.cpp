// When an expectation fails or cannot be established, the verdict says why,
// with the option that would change it: the outcome is unreachable (the
// whole space was explored), a bound excluded it, the budget, the time limit
// or an interruption stopped the exploration first, or executions were cut
// at the step bound. Each cause comes from a real exploration of a small
// scenario, so the wording is checked against what explore() reports, and
// each cause's text is checked to name its own remedy and no other's.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "harness/explore.hpp"
#include "harness/strategy/delay_bound.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/trace/trace.hpp"
#include "tools/scenario/expectation.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

using namespace interleave;
using Catch::Matchers::Contains;

namespace {

// The files' own [expect] tables are not used: each test judges the
// exploration against the expectation it builds.

/// A writer and a reader of one Go map: a fatal needs a preemption inside
/// the write; a panic is unreachable.
constexpr const char* kWriterReader = R"(description = "writer and reader"
[map]
kind = "go"
[[goroutine]]
name = "writer"
ops = ["put 1 1"]
[[goroutine]]
name = "reader"
ops = ["get 1"]
[expect]
reach = ["fatal"]
)";

/// A goroutine that loops far past a small step bound.
constexpr const char* kLongLoop = R"(description = "a long loop"
[map]
kind = "go"
[[goroutine]]
name = "a"
ops = ["for i in 0..1000: get 1"]
[expect]
reach = ["fatal"]
)";

Expectation reaching(const std::string& pattern) {
  Expectation expect;
  expect.reach = {pattern};
  return expect;
}

Expectation never(const std::string& pattern) {
  Expectation expect;
  expect.never = {pattern};
  return expect;
}

harness::Report explore_with(const char* text, harness::Strategy& strategy, std::uint64_t max_steps = 10000) {
  const Scenario scenario = parse_scenario(text, "why.toml");
  harness::StackPool stacks;
  harness::ExploreSettings settings;
  settings.max_steps = max_steps;
  return harness::explore(make_program(scenario, max_steps), strategy, stacks, settings);
}

harness::Report dfs(const char* text, std::optional<std::uint32_t> bound, std::uint64_t cap = UINT64_MAX,
                    std::uint64_t max_steps = 10000) {
  harness::DfsStrategy strategy({bound, cap});
  return explore_with(text, strategy, max_steps);
}

std::string only_failure(const Verdict& verdict) {
  REQUIRE_FALSE(verdict.held);
  REQUIRE(verdict.failures.size() == 1);
  return verdict.failures.front();
}

std::string only_caveat(const Verdict& verdict) {
  REQUIRE(verdict.held);
  REQUIRE(verdict.caveats.size() == 1);
  return verdict.caveats.front();
}

/// Every remedy the verdicts name; a cause's text names only its own.
const std::vector<std::string> kRemedies = {"--preemption-bound", "--delay-bound", "--executions", "--time-limit",
                                            "--max-steps"};

void names_only(const std::string& text, const std::vector<std::string>& remedies) {
  for (const std::string& remedy : kRemedies) {
    const bool expected = std::find(remedies.begin(), remedies.end(), remedy) != remedies.end();
    INFO(text << "\nremedy: " << remedy);
    CHECK((text.find(remedy) != std::string::npos) == expected);
  }
}

}  // namespace

TEST_CASE("an outcome no schedule reaches is called unreachable once every schedule was explored", "[why]") {
  const harness::Report report = dfs(kWriterReader, std::nullopt);
  REQUIRE(report.exhausted);
  REQUIRE(report.find(harness::OutcomeKind::kFatal) != nullptr);  // the space is not trivial
  const std::string why = only_failure(judge(reaching("panic"), report));
  CHECK_THAT(why, Contains("unreachable") && Contains("every schedule was explored") &&
                      Contains(std::to_string(report.executions) + " executions"));
  names_only(why, {});
  // The fatal is reached: no failure, and nothing left uncovered.
  const Verdict fatal = judge(reaching("fatal"), report);
  CHECK(fatal.held);
  CHECK(fatal.caveats.empty());
}

TEST_CASE("an outcome beyond the preemption bound is excluded by the bound, not unreachable", "[why]") {
  // Bound 0: each goroutine runs to its end before the other starts, so the
  // fatal (which needs a switch inside the write) is out of reach.
  const harness::Report report = dfs(kWriterReader, 0);
  REQUIRE(report.exhausted);
  REQUIRE(report.find(harness::OutcomeKind::kFatal) == nullptr);
  ExploreLimits limits;
  limits.preemption_bound = 0;
  const std::string why = only_failure(judge(reaching("fatal"), report, limits));
  CHECK_THAT(why, Contains("the bound excluded it") && Contains("every schedule with at most 0 preemptions"));
  CHECK_THAT(why, !Contains("unreachable"));
  names_only(why, {"--preemption-bound"});
  // A `never` that holds within the bound says what it covered.
  const std::string caveat = only_caveat(judge(never("fatal"), report, limits));
  CHECK_THAT(caveat, Contains("checked every schedule with at most 0 preemptions"));
  names_only(caveat, {"--preemption-bound"});
}

TEST_CASE("an outcome beyond the delay bound is excluded by the bound", "[why]") {
  harness::DelayBoundStrategy strategy({0});
  const harness::Report report = explore_with(kWriterReader, strategy);
  REQUIRE(report.exhausted);
  REQUIRE(report.executions == 1);  // delay bound 0: round robin alone
  REQUIRE(report.find(harness::OutcomeKind::kFatal) == nullptr);
  ExploreLimits limits;
  limits.delay_bound = 0;
  const std::string why = only_failure(judge(reaching("fatal"), report, limits));
  CHECK_THAT(why, Contains("the bound excluded it") && Contains("round robin with at most 0 delays"));
  names_only(why, {"--delay-bound"});
}

TEST_CASE("a budget, a time limit or an interruption that stops the exploration first is named as such", "[why]") {
  const harness::Report report = dfs(kWriterReader, std::nullopt, 2);
  REQUIRE_FALSE(report.exhausted);
  REQUIRE(report.executions == 2);
  REQUIRE(report.find(harness::OutcomeKind::kFatal) == nullptr);  // dfs's first two schedules run whole goroutines
  ExploreLimits limits;

  limits.stop = ExploreLimits::Stop::kBudget;
  const std::string budget = only_failure(judge(reaching("fatal"), report, limits));
  CHECK_THAT(budget, Contains("not reached within the budget (2 executions explored"));
  names_only(budget, {"--executions"});
  names_only(only_caveat(judge(never("fatal"), report, limits)), {"--executions"});

  limits.stop = ExploreLimits::Stop::kTimeLimit;
  const std::string time = only_failure(judge(reaching("fatal"), report, limits));
  CHECK_THAT(time, Contains("not reached within the time limit (2 executions explored"));
  names_only(time, {"--time-limit"});
  names_only(only_caveat(judge(never("fatal"), report, limits)), {"--time-limit"});
  harness::Report none = report;
  none.executions = 0;
  none.classes.clear();
  CHECK_THAT(only_failure(judge(reaching("fatal"), none, limits)),
             Contains("the time limit, which ran out before any execution of this scenario ended"));

  limits.stop = ExploreLimits::Stop::kInterrupted;
  const std::string interrupted = only_failure(judge(reaching("fatal"), report, limits));
  CHECK_THAT(interrupted, Contains("not reached before the run was interrupted (2 executions explored)"));
  names_only(interrupted, {});
}

TEST_CASE("executions cut at the step bound are counted in the verdict, with the option to go further", "[why]") {
  const harness::Report report = dfs(kLongLoop, std::nullopt, UINT64_MAX, 50);
  REQUIRE(report.exhausted);
  const harness::OutcomeClass* cut = report.find(harness::OutcomeKind::kStepBound);
  REQUIRE(cut != nullptr);
  const std::string why = only_failure(judge(reaching("fatal"), report));
  CHECK_THAT(why, Contains("unreachable") &&
                      Contains(std::to_string(cut->count) + " execution") && Contains("stopped at the step bound"));
  names_only(why, {"--max-steps"});
}
