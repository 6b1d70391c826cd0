// harness::Cell, harness::FiberLocal and check()'s location: plain data made
// visible to the scheduler, per-goroutine storage, and where a check failed.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "harness/harness.hpp"
#include "harness/sync/cell.hpp"
#include "harness/sync/fiber_local.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using Catch::Matchers::Contains;

namespace {

// SCTBench's reorder shape: a setter writes a then b, a checker reads b then
// a and asserts it saw both writes or neither.
struct Step {
  char fiber;  // 's' setter, 'c' checker
  int index;
};

// Every interleaving of the setter's two writes with the checker's two
// reads, each simulated on plain ints: how many fail the check.
int failing_interleavings(int* total) {
  int failing = 0;
  *total = 0;
  std::vector<char> order{'c', 'c', 's', 's'};  // sorted: next_permutation visits each merge once
  do {
    int a = 0, b = 0, seen_b = -1, seen_a = -1;
    int setter = 0, checker = 0;
    for (char who : order) {
      if (who == 's') (setter++ == 0 ? a : b) = 1;
      else if (checker++ == 0) seen_b = b;
      else seen_a = a;
    }
    ++*total;
    if (seen_a != seen_b) ++failing;
  } while (std::next_permutation(order.begin(), order.end()));
  return failing;
}

Program reorder(bool cells) {
  return {cells ? "reorder-cells" : "reorder-plain", [cells] {
            if (cells) {
              auto a = std::make_shared<Cell<int>>(0, "a");
              auto b = std::make_shared<Cell<int>>(0, "b");
              go("setter", [a, b] {
                a->set(1);
                b->set(1);
              });
              go("checker", [a, b] {
                const int seen_b = b->get();
                const int seen_a = a->get();
                check(seen_a == seen_b, "saw one write of two");
              });
            } else {
              auto ab = std::make_shared<std::pair<int, int>>(0, 0);
              go("setter", [ab] {
                ab->first = 1;
                ab->second = 1;
              });
              go("checker", [ab] {
                const int seen_b = ab->second;
                const int seen_a = ab->first;
                check(seen_a == seen_b, "saw one write of two");
              });
            }
          }};
}

}  // namespace

TEST_CASE("a reorder on plain ints is invisible, on Cells dfs finds it in the derived count", "[cell]") {
  const Report plain = testing::explore_dfs(reorder(false));
  CHECK(plain.exhausted);
  CHECK(plain.executions == 1);  // no preemption point: each goroutine runs whole
  CHECK(plain.failures() == 0);

  int total = 0;
  const int failing = failing_interleavings(&total);
  REQUIRE(total == static_cast<int>(testing::binomial(4, 2)));
  const Report cells = testing::explore_dfs(reorder(true));
  CHECK(cells.exhausted);
  CHECK(cells.executions == static_cast<std::uint64_t>(total));
  const OutcomeClass* seen = cells.find(OutcomeKind::kAssertion);
  REQUIRE(seen != nullptr);
  CHECK_THAT(seen->outcome.message, Contains("saw one write of two"));
  CHECK(seen->count == static_cast<std::uint64_t>(failing));
  CHECK(cells.failures() == static_cast<std::uint64_t>(failing));
}

TEST_CASE("a Cell's reads and writes are the conflicts dpor reduces by", "[cell][dpor]") {
  const auto both = testing::explore_dfs_and_dpor(reorder(true), std::nullopt);
  CHECK(both.dpor.exhausted);
  CHECK(testing::outcome_set(both.dpor) == testing::outcome_set(both.dfs));
  // The orders that matter: the read of a before or after the write of a,
  // the same for b; "read b before the write of b but read a after the write
  // of a" is the failure, and the fourth combination is a cycle (b is read
  // before a and written after it). So 3 Mazurkiewicz traces of 6 schedules.
  CHECK(both.dpor.executions - both.dpor.pruned >= 3);
  CHECK(both.dpor.executions < both.dfs.executions);

  // Two readers commute: only the write's place relative to each read counts.
  Program readers{"cell-readers", [] {
                    auto x = std::make_shared<Cell<int>>(0, "x");
                    go("w", [x] { x->set(1); });
                    for (const char* name : {"r1", "r2"})
                      go(name, [x] { (void)x->get(); });
                  }};
  const auto r = testing::explore_dfs_and_dpor(readers, std::nullopt);
  CHECK(r.dfs.executions == 6);  // 3! orders of three one-step goroutines
  CHECK(r.dpor.executions - r.dpor.pruned == 4);  // w before/after r1 x before/after r2
}

TEST_CASE("Cell::update is a read then a write: concurrent updates lose some", "[cell]") {
  Program program{"cell-update", [] {
                    auto counter = std::make_shared<Cell<int>>(0, "counter");
                    for (const char* name : {"a", "b", "c"})
                      go(name, [counter] { counter->update([](int v) { return v + 1; }); });
                    at_end([counter] { check(counter->peek() == 3, "lost update"); });
                  }};
  const auto both = testing::explore_dfs_and_dpor(program, std::nullopt);
  // 6 steps, 2 per goroutine: 6!/(2!^3) schedules; only the 3! serial ones keep every update.
  CHECK(both.dfs.executions == 90);
  const OutcomeClass* ok = both.dfs.find(OutcomeKind::kOk);
  REQUIRE(ok != nullptr);
  CHECK(ok->count == 6);
  CHECK(testing::outcome_set(both.dpor) == testing::outcome_set(both.dfs));
}

TEST_CASE("with and with_mut are one step each; peek and plain use outside an execution", "[cell]") {
  Cell<std::vector<int>> cell({1, 2}, "v");
  cell.with_mut([](std::vector<int>& v) { v.push_back(3); });
  CHECK(cell.with([](const std::vector<int>& v) { return v.size(); }) == 3);
  cell.set({4});
  CHECK(cell.get() == std::vector<int>{4});
  CHECK(cell.peek() == std::vector<int>{4});

  Program program{"cell-with-mut", [] {
                    auto v = std::make_shared<Cell<std::vector<int>>>(std::vector<int>{}, "v");
                    for (int i : {1, 2})
                      go(i == 1 ? "a" : "b", [v, i] { v->with_mut([i](std::vector<int>& x) { x.push_back(i); }); });
                    at_end([v] { check(v->peek().size() == 2, "an in-place push was lost"); });
                  }};
  const Report report = testing::explore_dfs(program);
  CHECK(report.executions == 2);
  CHECK(report.failures() == 0);
}

TEST_CASE("FiberLocal: each goroutine its own value, fresh in every execution", "[fiber-local]") {
  // A thread_local here would be one counter for both goroutines (they share
  // the OS thread) and would carry over from one execution to the next.
  auto local = std::make_shared<FiberLocal<int>>(10);
  auto shared_count = std::make_shared<int>(0);
  Program program{"fiber-local", [local, shared_count] {
                    *shared_count = 0;
                    local->get() = 100;  // the host's own value
                    for (const char* name : {"a", "b"})
                      go(name, [local, shared_count] {
                        for (int i = 1; i <= 2; ++i) {
                          point("step");
                          ++local->get();
                          ++*shared_count;
                          check(local->get() == 10 + i, "saw another goroutine's value");
                        }
                      });
                    at_end([local, shared_count] {
                      check(*shared_count == 4, "the shared count is not 4");
                      check(local->get() == 100, "the host's value changed");
                    });
                  }};
  const Report report = testing::explore_dfs(program);
  CHECK(report.exhausted);
  CHECK(report.executions == testing::binomial(4, 2));
  CHECK(report.failures() == 0);
  // Outside an execution: one value.
  FiberLocal<std::string> plain("x");
  plain->append("y");
  CHECK(*plain == "xy");
}

TEST_CASE("a failed check says file:line, the file's name without its directories", "[check]") {
  const int line = __LINE__ + 1;
  Program program{"located", [] { go("g", [] { check(false, "located failure"); }); }};
  const Report report = testing::explore_dfs(program);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome ==
        Outcome{OutcomeKind::kAssertion, "located failure (cell_test.cpp:" + std::to_string(line) + ")"});
  CHECK(located("m", SourceLocation::current()).find('/') == std::string::npos);
  CHECK(located("m", SourceLocation("/abs/dir/file.cpp", 7)) == "m (file.cpp:7)");
}
