// The Catch2 entry point (harness/catch2/explore.hpp): Catch2 assertions in
// a program are its outcomes, the options (stop at a kind, time budget,
// strategies) do what they say, and a failing exploration fails the test
// once. The cases tagged [.failing] fail on purpose: entry_output.sh runs
// them and reads what Catch2 printed.
#include <catch2/catch.hpp>

#include <chrono>
#include <memory>

#include "harness/catch2/explore.hpp"
#include "harness/interleave.hpp"

using harness::catch2::explore_in_test;
using harness::catch2::Options;
using harness::OutcomeKind;

namespace {

/// Two goroutines increment a counter: by load then store (loses updates),
/// or by fetch_add. The end check is a Catch2 REQUIRE.
harness::Program counter(bool atomic_increment) {
  return {atomic_increment ? "fetch-add" : "load-store", [atomic_increment] {
            auto count = std::make_shared<harness::Atomic<int>>(0, "count");
            for (const char* name : {"a", "b"})
              harness::go(name, [count, atomic_increment] {
                if (atomic_increment) count->fetch_add(1);
                else count->store(count->load() + 1);
              });
            harness::at_end([count] { REQUIRE(count->peek() == 2); });  // line 30: entry_output.sh
          }};
}

/// A goroutine checks, with a Catch2 CHECK under an INFO, what another wrote.
harness::Program reader_sees_writer() {
  return {"reader-sees-writer", [] {
            auto flag = std::make_shared<harness::Atomic<int>>(0, "flag");
            harness::go("writer", [flag] { flag->store(1); });
            harness::go("reader", [flag] {
              INFO("the reader looked");
              CHECK(flag->load() == 1);
              flag->store(2);  // not reached after a failed CHECK: the execution ended there
            });
            harness::at_end([flag] { REQUIRE(flag->peek() != 0); });
          }};
}

}  // namespace

TEST_CASE("a program whose every schedule passes passes, every schedule explored", "[catch2]") {
  const harness::catch2::Result result = explore_in_test(counter(true));
  CHECK(result.report.exhausted);
  CHECK(result.report.failures() == 0);
  CHECK(result.report.executions == 2);  // a's fetch_add first, or b's
  CHECK_FALSE(result.first_failure);
  // And through the entry point: nothing fails, nothing is saved.
  CHECK(harness::catch2::check_every_schedule(counter(true)).empty());
}

TEST_CASE("a Catch2 REQUIRE in an end check is the program's assertion, with file and line", "[catch2]") {
  const harness::catch2::Result result = explore_in_test(counter(false));
  CHECK(result.report.exhausted);
  // Four steps (two loads, two stores) in C(4,2) = 6 orders; only a whole
  // before b's load, or b whole before a's, keep both updates.
  CHECK(result.report.executions == 6);
  const harness::OutcomeClass* lost = result.report.find(OutcomeKind::kAssertion);
  REQUIRE(lost != nullptr);
  CHECK(lost->count == 4);
  CHECK(lost->outcome.message == "entry_test.cpp:30: REQUIRE( count->peek() == 2 ) with expansion: 1 == 2");
  REQUIRE(result.first_failure);
  CHECK(result.first_failure->outcome == lost->outcome);
}

TEST_CASE("a Catch2 CHECK in a goroutine ends its execution, naming the INFO in scope", "[catch2]") {
  const harness::catch2::Result result = explore_in_test(reader_sees_writer());
  CHECK(result.report.exhausted);
  const harness::OutcomeClass* unseen = result.report.find(OutcomeKind::kAssertion);
  REQUIRE(unseen != nullptr);
  CHECK(unseen->outcome.message ==
        "entry_test.cpp:41: CHECK( flag->load() == 1 ) with expansion: 0 == 1; the reader looked");
  // The reader's store after the failed CHECK never ran: no execution ends
  // with the flag at 0 failing the end check instead.
  CHECK(result.report.classes.size() == 2);  // ok, and the failed CHECK
}

TEST_CASE("stop_at ends the exploration at the first failure of that kind", "[catch2]") {
  Options options;
  options.stop_at = OutcomeKind::kAssertion;
  const harness::catch2::Result result = explore_in_test(counter(false), options);
  CHECK_FALSE(result.report.exhausted);
  // dfs meets a whole then b whole (ok) first, then an order that loses an
  // update: the exploration stops there.
  CHECK(result.report.executions == 2);
  CHECK(result.report.failures() == 1);
}

TEST_CASE("the failure reported is the shrunk schedule: the fewest preemptions, then the fewest steps",
          "[catch2]") {
  Options options;
  options.strategy = Options::Strategy::kRandom;
  options.executions = 50;
  const harness::catch2::Result result = explore_in_test(counter(false), options);
  REQUIRE(result.first_failure);
  // Losing the update needs one preemption: a stops after its load.
  std::uint64_t switches_away = 0;
  const auto& events = result.first_failure->events;
  for (std::size_t i = 1; i < events.size(); ++i)
    switches_away += events[i].fiber != events[i - 1].fiber && harness::contains(events[i].runnable, events[i - 1].fiber);
  CHECK(switches_away == 1);
  CHECK(events.size() == 4);  // both loads, then both stores
}

TEST_CASE("a time budget stops an exploration that would not end", "[catch2]") {
  const harness::Program endless{"endless", [] {
                                   auto flag = std::make_shared<harness::Atomic<int>>(0, "flag");
                                   for (const char* name : {"a", "b", "c"})
                                     harness::go(name, [flag] {
                                       for (int i = 0; i < 30; ++i) flag->store(i);
                                     });
                                 }};
  Options options;
  options.time_budget = std::chrono::milliseconds(200);
  options.executions = UINT64_MAX;
  const harness::catch2::Result result = explore_in_test(endless, options);
  CHECK(result.time_ran_out);
  CHECK_FALSE(result.report.exhausted);
  CHECK(result.report.failures() == 0);
}

// Fail on purpose (run by entry_output.sh, not by ctest directly).
TEST_CASE("lost update checked with REQUIRE", "[.failing]") {
  harness::catch2::check_every_schedule(counter(false));
}

TEST_CASE("lost update replayed", "[.failing]") {
  harness::catch2::check_every_schedule(counter(false));
}

namespace {
int g_runs = 0;  // state kept between executions: the setup does not reset it
}  // namespace

TEST_CASE("a program that keeps state between executions is reported as not starting afresh", "[catch2]") {
  const harness::Program leaky{"leaky", [] {
                                 ++g_runs;
                                 auto flag = std::make_shared<harness::Atomic<int>>(0, "flag");
                                 harness::go("a", [flag] {
                                   if (g_runs % 2 == 1) flag->store(1);
                                   flag->store(2);
                                 });
                               }};
  const harness::catch2::Result result = explore_in_test(leaky);
  REQUIRE(result.report.warnings.size() == 1);
  CHECK_THAT(result.report.warnings.front(), Catch::Matchers::Contains("'leaky' does not start afresh") &&
                                                 Catch::Matchers::Contains("reset it in the program's setup"));
  // A program whose setup builds everything anew draws no warning.
  CHECK(explore_in_test(counter(false)).report.warnings.empty());
}
