// Failures are values: each way an execution can go wrong ends it with its
// own outcome kind, and nothing crashes the explorer.
#include <catch2/catch.hpp>

#include <memory>
#include <stdexcept>

#include "harness/harness.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/strategy/dfs.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;

namespace {
Outcome only_outcome(const Program& program) {
  const Report report = testing::explore_dfs(program);
  REQUIRE(report.classes.size() == 1);
  return report.classes[0].outcome;
}
}  // namespace

TEST_CASE("an unrecovered panic ends the execution as a panic", "[failures]") {
  Program program{"panic", [] {
                    go("g", [] {
                      point("before");
                      panic("assignment to entry in nil map");
                    });
                  }};
  CHECK(only_outcome(program) == Outcome{OutcomeKind::kPanic, "assignment to entry in nil map"});
}

TEST_CASE("a goroutine that recovers a panic survives it", "[failures]") {
  auto after = std::make_shared<bool>(false);
  Program program{"recovered", [after] {
                    go("g", [after] {
                      try {
                        point("before");
                        panic("assignment to entry in nil map");
                      } catch (const Panic&) {
                        // recover()
                      }
                      point("after");
                      *after = true;
                    });
                  }};
  CHECK(only_outcome(program).ok());
  CHECK(*after);
}

TEST_CASE("nothing recovers a fatal error", "[failures]") {
  auto survived = std::make_shared<bool>(false);
  Program program{"fatal", [survived] {
                    go("g", [survived] {
                      try {
                        point("before");
                        fatal("concurrent map writes");
                      } catch (const Panic&) {  // recover()
                        *survived = true;
                      } catch (const std::exception&) {
                        *survived = true;
                      }
                      *survived = true;
                    });
                    go("other", [] { point("other"); });
                  }};
  const Report report = testing::explore_dfs(program);
  for (const auto& cls : report.classes) CHECK(cls.outcome == Outcome{OutcomeKind::kFatal, "concurrent map writes"});
  // "g" first: it dies at once. "other" first: it finishes, then "g" dies.
  CHECK(report.executions == 2);
  CHECK_FALSE(*survived);
}

TEST_CASE("an exception escaping a goroutine is an outcome", "[failures]") {
  Program program{"throws", [] { go("g", [] { point("x"); throw std::runtime_error("boom"); }); }};
  CHECK(only_outcome(program) == Outcome{OutcomeKind::kException, "goroutine 'g' threw: boom"});
}

TEST_CASE("a livelock ends at the step bound", "[failures]") {
  Program program{"spin", [] {
                    auto flag = std::make_shared<Atomic<bool>>(false, "flag");
                    go("spinner", [flag] {
                      while (!flag->load()) {
                      }
                    });
                  }};
  StackPool stacks;
  DfsStrategy dfs;
  ExploreSettings settings;
  settings.max_steps = 50;
  const Report report = explore(program, dfs, stacks, settings);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome.kind == OutcomeKind::kStepBound);
  CHECK(report.classes[0].first_trace.events.size() == 50);
}

TEST_CASE("a failing check in setup or at the end is an outcome", "[failures]") {
  const int line = __LINE__ + 1;
  Program failing_setup{"bad-setup", [] { check(false, "setup says no"); }};
  CHECK(only_outcome(failing_setup) ==
        Outcome{OutcomeKind::kAssertion, "setup says no (failures_test.cpp:" + std::to_string(line) + ")"});
  Program failing_end{"bad-end", [] {
                        go("g", [] { point("x"); });
                        at_end([] { fail(OutcomeKind::kCorruption, "count is 3 but 2 keys are reachable"); });
                      }};
  CHECK(only_outcome(failing_end) == Outcome{OutcomeKind::kCorruption, "count is 3 but 2 keys are reachable"});
}

TEST_CASE("the shims and points work plainly outside an execution", "[failures]") {
  Atomic<int> counter(1, "counter");
  counter.store(counter.load() + 1);
  CHECK(counter.fetch_add(3) == 2);
  CHECK(counter.peek() == 5);
  CHECK(choose(10, "anything") == 0);
  CHECK_THROWS_AS(fatal("concurrent map writes"), FatalOutsideExecution);
}
