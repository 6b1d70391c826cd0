// A recorded schedule replayed leniently (harness/strategy/replay.hpp): on
// the unchanged program it is the recording exactly; on a program whose
// goroutines are created in another order it follows them by name; on a
// fixed program it runs to the end, says how many steps still applied and
// where it departed, and does so the same way every time.
#include <catch2/catch.hpp>

#include <memory>

#include "harness/interleave.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/replay.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using Catch::Matchers::Contains;

namespace {

/// Two goroutines "a" and "b" increment a shared counter once, by a load
/// and a store (a lost update is possible), or under a mutex (`fixed`).
/// `b_first` creates "b" before "a": the engine numbers them the other way.
Program increments(bool b_first, bool fixed) {
  return Program{"increments", [b_first, fixed] {
                   auto counter = std::make_shared<Atomic<int>>(0, "counter");
                   auto mu = std::make_shared<Mutex>("mu");
                   for (const char* name : b_first ? std::vector{"b", "a"} : std::vector{"a", "b"}) {
                     go(name, [counter, mu, fixed] {
                       if (fixed) mu->lock();
                       counter->store(counter->load() + 1);
                       if (fixed) mu->unlock();
                     });
                   }
                   at_end([counter] {
                     if (counter->peek() != 2) report_failure(OutcomeKind::kAssertion, "lost update");
                   });
                 }};
}

/// The first lost update dfs finds.
Trace lost_update_trace() {
  const Report report = testing::explore_dfs(increments(false, false));
  const OutcomeClass* lost = report.find(OutcomeKind::kAssertion);
  REQUIRE(lost != nullptr);
  return lost->first_trace;
}

}  // namespace

TEST_CASE("a lenient replay of the unchanged program is the recording", "[replay][lenient]") {
  const Trace recorded = lost_update_trace();
  StackPool stacks;
  const LenientReplay replay = replay_leniently(increments(false, false), stacks, recorded, 1000);
  CHECK(replay.trace == recorded);
  CHECK(write_trace(replay.trace) == write_trace(recorded));
  CHECK(replay.steps_applied == recorded.events.size());
  CHECK(replay.departure.empty());
}

TEST_CASE("a lenient replay follows goroutines by name, not by number", "[replay][lenient]") {
  const Trace recorded = lost_update_trace();
  StackPool stacks;
  const LenientReplay replay = replay_leniently(increments(true, false), stacks, recorded, 1000);
  INFO(replay.departure);
  CHECK(replay.trace.outcome == recorded.outcome);
  CHECK(replay.steps_applied == recorded.events.size());
  CHECK(replay.departure.empty());
  // Renumbered: the same schedule by name is other bytes.
  CHECK(replay.trace.fibers == std::vector<std::string>{"b", "a"});
  CHECK(write_trace(replay.trace) != write_trace(recorded));
  CHECK(replay.trace.fibers[index(replay.trace.events[0].fiber)] == "a");
  // A strict replay follows numbers: goroutine 0 is now "b".
  const Trace strict = replay_trace(increments(true, false), stacks, recorded, 1000).trace;
  CHECK(strict.fibers[index(strict.events[0].fiber)] == "b");
}

TEST_CASE("a lenient replay of a fixed program ends, says where it departed, and is deterministic",
          "[replay][lenient]") {
  const Trace recorded = lost_update_trace();
  // The recorded lost update: a loads, b loads, then the stores (the first
  // schedule of dfs that loses one is a preempted after its load).
  REQUIRE(recorded.events.size() == 4);
  StackPool stacks;
  const LenientReplay once = replay_leniently(increments(false, true), stacks, recorded, 1000);
  const LenientReplay twice = replay_leniently(increments(false, true), stacks, recorded, 1000);
  CHECK(once.trace.outcome.ok());
  CHECK(once.steps_applied == 0);  // the fixed program's first step is a lock
  CHECK_THAT(once.departure, Contains("at step 0: the trace has goroutine 'a' at atomic.load"));
  CHECK_THAT(once.departure, Contains("this run has goroutine 'a' at mutex.lock (mutex 'mu', lock)"));
  CHECK(write_trace(once.trace) == write_trace(twice.trace));
  CHECK(once.departure == twice.departure);
  // Step 1 was b's in the recording, but a holds mu: b cannot run, and the
  // run goes on with a (no preemption) rather than stopping.
  REQUIRE(once.trace.events.size() >= 2);
  CHECK(once.trace.fibers[index(once.trace.events[1].fiber)] == "a");
}

TEST_CASE("a lenient replay of another program runs nothing and says why", "[replay][lenient]") {
  const Trace recorded = lost_update_trace();
  Program other = increments(false, false);
  other.name = "other";
  StackPool stacks;
  const LenientReplay replay = replay_leniently(other, stacks, recorded, 1000);
  CHECK(replay.steps_applied == 0);
  CHECK_THAT(replay.departure, Contains("recorded for program 'increments', not 'other'"));
  CHECK(replay.trace.outcome.kind == OutcomeKind::kDivergence);
}
