// The SCTBench ports are honest: each bug is there (random walks find it
// within a modest budget, and its trace replays), it needs the number of
// delays its comment in bench/sctbench/programs.cpp derives (none at one
// fewer, found at that many), and each fixed variant fails in no schedule
// tried (every schedule, where dfs can cover the space).
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "bench/sctbench/programs.hpp"
#include "harness/explore.hpp"
#include "harness/strategy/delay_bound.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"

using namespace harness;

namespace {

constexpr std::uint64_t kWalks = 20000;
// The fixed ports never stop early: under the sanitizers (20-50 times
// slower) they get fewer walks and a shorter prefix of the two largest
// reorders' dfs order.
#if defined(INTERLEAVE_SANITIZED_TESTS)
constexpr std::uint64_t kFixedWalks = 2000;
constexpr std::uint64_t kLargeDfs = 10000;
#else
constexpr std::uint64_t kFixedWalks = kWalks;
constexpr std::uint64_t kLargeDfs = 200000;
#endif

Report explore_with(const Program& program, Strategy& strategy, bool stop_at_first_failure) {
  StackPool stacks;
  ExploreSettings settings;
  settings.stop_at_first_failure = stop_at_first_failure;
  return explore(program, strategy, stacks, settings);
}

/// The fewest delays each bug needs, as derived beside each program.
const std::map<std::string, std::uint32_t> kDelaysNeeded = {
    {"account", 1},  {"bluetooth_driver", 1}, {"circular_buffer", 2}, {"deadlock01", 1}, {"lazy01", 0},
    {"queue", 2},    {"reorder_3", 2},        {"reorder_5", 4},       {"stack", 1},      {"token_ring", 2},
    {"twostage", 1}, {"wronglock", 1},
};

}  // namespace

TEST_CASE("every SCTBench port's bug is found by random walks, and its trace replays", "[sctbench]") {
  const auto ports = sctbench::ports();
  REQUIRE(ports.size() == 14);
  for (const sctbench::Port& port : ports) {
    INFO(port.name);
    RandomWalkStrategy random(1, kWalks);
    const Report report = explore_with(port.buggy, random, true);
    REQUIRE(report.failures() == 1);
    CHECK(report.executions <= kWalks);
    const OutcomeClass* bug = report.find(port.kind);
    REQUIRE(bug != nullptr);
    StackPool stacks;
    CHECK(replay_trace(port.buggy, stacks, bug->first_trace, 100000).identical);
  }
}

TEST_CASE("each SCTBench port's bug needs exactly the delays its comment derives", "[sctbench][delay]") {
  std::size_t checked = 0;
  for (const sctbench::Port& port : sctbench::ports()) {
    const auto needed = kDelaysNeeded.find(port.name);
    if (needed == kDelaysNeeded.end()) continue;  // reorder_10 and 20: too many schedules below their bound
    ++checked;
    INFO(port.name << ", " << needed->second << " delays");
    if (needed->second > 0) {
      DelayBoundStrategy fewer(DelayBoundSettings{needed->second - 1, UINT64_MAX});
      const Report below = explore_with(port.buggy, fewer, false);
      CHECK(below.exhausted);
      CHECK(below.failures() == 0);
    }
    DelayBoundStrategy enough(DelayBoundSettings{needed->second, UINT64_MAX});
    const Report at = explore_with(port.buggy, enough, false);
    CHECK(at.exhausted);
    CHECK(at.find(port.kind) != nullptr);
  }
  CHECK(checked == kDelaysNeeded.size());
}

TEST_CASE("no fixed SCTBench port fails", "[sctbench]") {
  std::size_t fixed = 0;
  for (const sctbench::Port& port : sctbench::ports()) {
    if (!port.correct) continue;
    ++fixed;
    INFO(port.name << " fixed");
    RandomWalkStrategy random(1, kFixedWalks);
    CHECK(explore_with(*port.correct, random, true).failures() == 0);
    PctStrategy pct(1, kFixedWalks, 3);
    CHECK(explore_with(*port.correct, pct, true).failures() == 0);
    // Every schedule (at most 200,000 executions), but for the two largest
    // reorders: their first kLargeDfs in dfs order.
    const bool large = port.name == "reorder_10" || port.name == "reorder_20";
    DfsStrategy dfs(DfsSettings{std::nullopt, large ? kLargeDfs : 200000});
    const Report all = explore_with(*port.correct, dfs, true);
    CHECK(all.failures() == 0);
    if (!large) CHECK(all.exhausted);
  }
  CHECK(fixed == 13);  // all but lazy01, whose assertion is the bug
}
