// Programs with many more goroutines than one 64-bit word holds: 100 and
// 1,024 run under every strategy, traces name goroutines past 63 and replay,
// and the per-execution limit (kMaxFibers) is an outcome, not a crash.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "harness/harness.hpp"
#include "harness/strategy/delay_bound.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/sync/cell.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/trace/trace.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using Catch::Matchers::Contains;

namespace {

#if defined(INTERLEAVE_SANITIZED_TESTS)
constexpr std::uint32_t kMany = 300;  // past four words; 1,024 stacks under ASan cost more than the point
#else
constexpr std::uint32_t kMany = 1024;
#endif

/// `n` goroutines, each writing its own cell once, except the two named,
/// which write one shared cell: the only dependent pair of steps.
Program own_cells_and_one_pair(std::uint32_t n, std::uint32_t first, std::uint32_t second) {
  return {"own-cells", [n, first, second] {
            auto shared = std::make_shared<Cell<int>>(0, "shared");
            for (std::uint32_t i = 0; i < n; ++i) {
              const bool pair = i == first || i == second;
              auto own = std::make_shared<Cell<int>>(0, "own " + std::to_string(i));
              go("g" + std::to_string(i), [own, shared, pair, i] { (pair ? *shared : *own).set(static_cast<int>(i)); });
            }
          }};
}

/// `n` goroutines incrementing one counter by load and store, optionally
/// under a mutex; the end check wants n.
Program counter(std::uint32_t n, bool locked) {
  return {locked ? "locked-counter" : "racy-counter", [n, locked] {
            auto count = std::make_shared<Cell<std::uint32_t>>(0, "count");
            auto mu = std::make_shared<Mutex>("mu");
            for (std::uint32_t i = 0; i < n; ++i) {
              go("g" + std::to_string(i), [count, mu, locked] {
                if (locked) mu->lock();
                const std::uint32_t seen = count->get();
                count->set(seen + 1);
                if (locked) mu->unlock();
              });
            }
            at_end([count, n] { check(count->get() == n, "lost an update"); });
          }};
}

Report run(const Program& program, Strategy& strategy) {
  StackPool stacks;
  return explore(program, strategy, stacks, ExploreSettings{});
}

}  // namespace

TEST_CASE("many independent goroutines are one Mazurkiewicz trace for dpor; one dependent pair makes two",
          "[many-fibers][dpor]") {
  // Every step writes a different cell: every order is equivalent, so dpor
  // runs exactly one execution. Two goroutines on either side of id 64
  // writing one cell: the two orders of that pair, and nothing else.
  const Report alone = testing::explore_dpor(own_cells_and_one_pair(kMany, kMany, kMany));
  CHECK(alone.exhausted);
  CHECK(alone.executions == 1);
  CHECK(alone.pruned == 0);
  const Report pair = testing::explore_dpor(own_cells_and_one_pair(kMany, 3, kMany - 5));
  CHECK(pair.exhausted);
  CHECK(pair.executions - pair.pruned == 2);
  REQUIRE(pair.classes.size() == 1);
  CHECK(pair.classes[0].outcome.ok());
}

TEST_CASE("100 goroutines: random, pct and delay bounding find the lost update; the mutex fixes it",
          "[many-fibers]") {
  for (const bool locked : {false, true}) {
    const Program program = counter(100, locked);
    RandomWalkStrategy random(7, 30);
    PctStrategy pct(7, 30, 3);
    DelayBoundStrategy delay0(DelayBoundSettings{0});
    DelayBoundStrategy delay1(DelayBoundSettings{1});
    for (Strategy* strategy : std::vector<Strategy*>{&random, &pct, &delay0, &delay1}) {
      const Report report = run(program, *strategy);
      INFO((locked ? "locked " : "racy ") << report.provenance.front().second);
      const OutcomeClass* lost = report.find(OutcomeKind::kAssertion);
      if (locked) {
        CHECK(lost == nullptr);
      } else if (strategy != &delay0) {
        // Round robin runs each goroutine to its end: only a delay (or a
        // random switch) puts another goroutine between a load and a store.
        REQUIRE(lost != nullptr);
        CHECK_THAT(lost->outcome.message, Contains("lost an update"));
      }
    }
    // Delay bound 0 is one schedule, whatever the number of goroutines.
    DelayBoundStrategy once(DelayBoundSettings{0});
    const Report single = run(program, once);
    CHECK(single.exhausted);
    CHECK(single.executions == 1);
  }
}

TEST_CASE("a trace of 100 goroutines names goroutines past 63 and replays byte for byte", "[many-fibers][trace]") {
  const Program program = counter(100, false);
  RandomWalkStrategy random(11, 50);
  const Report report = run(program, random);
  const OutcomeClass* lost = report.find(OutcomeKind::kAssertion);
  REQUIRE(lost != nullptr);
  const std::string text = write_trace(lost->first_trace);
  CHECK(lost->first_trace.fibers.size() == 100);
  CHECK_THAT(text, Contains("fiber 99 \"g99\""));
  bool high_set = false;  // some runnable set lists a goroutine of the second word
  for (const Event& e : lost->first_trace.events) high_set = high_set || !e.runnable.within_first_word();
  CHECK(high_set);
  const Trace parsed = parse_trace(text, "memory");
  CHECK(parsed == lost->first_trace);
  StackPool stacks;
  const ReplayResult replay = replay_trace(program, stacks, parsed, 100000);
  CHECK(replay.identical);
  CHECK(write_trace(replay.trace) == text);
}

TEST_CASE("more goroutines than kMaxFibers end the execution with a message", "[many-fibers]") {
  const Program program{"too-many", [] {
                          for (std::uint32_t i = 0; i <= kMaxFibers; ++i) go("g", [] {});
                        }};
  RandomWalkStrategy random(1, 1);
  const Report report = run(program, random);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome.kind == OutcomeKind::kException);
  CHECK(report.classes[0].outcome.message == "too many goroutines: at most 4096 per execution");
}
