// Partial-order reduction: one complete execution per Mazurkiewicz trace,
// and the same outcomes as plain dfs.
//
// Counts for the two-goroutine lost-update model (N rounds of load; store on
// one counter): loads of the same object commute, everything else on it
// conflicts. Counting the equivalence classes of the C(4N,2N) interleavings
// by hand gives 4 for N=1 (aabb, bbaa, {abab, baab}, {abba, baba}); the
// issue's figures 4 / 34 / 328 / 3,334 for N = 1..4 are that count. With
// fetch_add every pair of steps conflicts, so each of the C(2N,N)
// interleavings is its own class: 2 / 6 / 20 / 70.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "examples/programs.hpp"
#include "harness/harness.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/sync/mutex.hpp"
#include "harness/sync/rwmutex.hpp"
#include "harness/sync/wait_group.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using harness::testing::explore_dpor;
using harness::testing::outcome_set;

namespace {

/// Brute force: the number of classes of interleavings of two sequences of
/// (read|write) steps on one object, under "adjacent steps of different
/// goroutines commute unless one writes". Independent of the engine.
std::uint64_t mazurkiewicz_classes(std::uint32_t rounds) {
  // Each goroutine: load (r), store (w), repeated.
  // (Strings, not vector<char> filled by insert: g++ 12 -O2 warns falsely,
  // stringop-overflow, on the inlined vector growth.)
  std::string a, b;
  for (std::uint32_t i = 0; i < rounds; ++i) {
    a += "rw";
    b += "rw";
  }
  std::set<std::string> canonical;
  std::string word;
  std::function<void(std::size_t, std::size_t)> walk = [&](std::size_t i, std::size_t j) {
    if (i == a.size() && j == b.size()) {
      // Canonical form: repeatedly move an 'A' read before an adjacent 'B'
      // read (bubble) until stable: the lexicographically least equivalent.
      std::string w = word;
      for (bool changed = true; changed;) {
        changed = false;
        // w holds (goroutine, kind) pairs: swap adjacent B-read, A-read.
        for (std::size_t k = 0; k + 3 < w.size(); k += 2) {
          if (w[k] == 'B' && w[k + 2] == 'A' && w[k + 1] == 'r' && w[k + 3] == 'r') {
            std::swap(w[k], w[k + 2]);
            changed = true;
          }
        }
      }
      canonical.insert(w);
      return;
    }
    if (i < a.size()) {
      word += 'A';
      word += a[i];
      walk(i + 1, j);
      word.resize(word.size() - 2);
    }
    if (j < b.size()) {
      word += 'B';
      word += b[j];
      walk(i, j + 1);
      word.resize(word.size() - 2);
    }
  };
  walk(0, 0);
  return canonical.size();
}

}  // namespace

TEST_CASE("the brute-force class count agrees with the issue's figures", "[dpor]") {
  CHECK(mazurkiewicz_classes(1) == 4);
  CHECK(mazurkiewicz_classes(2) == 34);
  CHECK(mazurkiewicz_classes(3) == 328);
}

TEST_CASE("dpor explores one complete execution per Mazurkiewicz trace", "[dpor]") {
  const std::uint64_t expected[] = {4, 34, 328, 3334};
  const std::uint64_t plain[] = {6, 70, 924, 12870};
  for (std::uint32_t n = 1; n <= 4; ++n) {
    INFO("N = " << n);
    const Report reduced = explore_dpor(examples::lost_update(n, false));
    CHECK(reduced.exhausted);
    CHECK(reduced.executions - reduced.pruned == expected[n - 1]);
    const Report full = testing::explore_dfs(examples::lost_update(n, false));
    CHECK(full.executions == plain[n - 1]);
    CHECK(outcome_set(reduced) == outcome_set(full));

    const Report fetch_add = explore_dpor(examples::lost_update(n, true));
    CHECK(fetch_add.executions - fetch_add.pruned == testing::binomial(2 * n, n));
    CHECK(fetch_add.failures() == 0);
  }
}

TEST_CASE("independent goroutines need a single execution", "[dpor]") {
  const Report report = explore_dpor(examples::independent_points(3, 4));
  CHECK(report.exhausted);
  CHECK(report.executions - report.pruned == 1);
}

TEST_CASE("dpor reaches the same outcomes as dfs on blocking programs", "[dpor]") {
  std::vector<Program> programs;
  programs.push_back(examples::lock_order_inversion());
  programs.push_back(examples::recursive_rlock());
  // Lock order decides what the reader sees: every order must be explored.
  programs.push_back(Program{"rwmutex-order", [] {
                               auto rw = std::make_shared<RWMutex>("rw");
                               auto value = std::make_shared<Atomic<int>>(0, "value");
                               for (int w = 1; w <= 2; ++w)
                                 go(fmt::format("w{}", w), [rw, value, w] {
                                   rw->lock();
                                   value->store(w);
                                   rw->unlock();
                                 });
                               go("reader", [rw, value] {
                                 rw->rlock();
                                 const int seen = value->load();
                                 rw->runlock();
                                 report_failure(OutcomeKind::kWrongResult, fmt::format("reader saw {}", seen));
                               });
                             }});
  programs.push_back(Program{"mutex-order", [] {
                               auto mu = std::make_shared<Mutex>("mu");
                               auto value = std::make_shared<Atomic<int>>(0, "value");
                               for (int w = 1; w <= 3; ++w)
                                 go(fmt::format("w{}", w), [mu, value, w] {
                                   mu->lock();
                                   value->store(value->load() * 10 + w);
                                   mu->unlock();
                                 });
                               at_end([value] {
                                 report_failure(OutcomeKind::kWrongResult, fmt::format("final {}", value->peek()));
                               });
                             }});
  programs.push_back(Program{"waitgroup", [] {
                               auto wg = std::make_shared<WaitGroup>("wg");
                               auto counter = std::make_shared<Atomic<int>>(0, "counter");
                               wg->add(2);
                               for (const char* name : {"a", "b"})
                                 go(name, [wg, counter] {
                                   counter->store(counter->load() + 1);
                                   wg->done();
                                 });
                               go("waiter", [wg, counter] {
                                 wg->wait();
                                 check(counter->load() == 2, "lost update seen after Wait");
                               });
                             }});
  programs.push_back(Program{"spawn-and-join", [] {
                               auto value = std::make_shared<Atomic<int>>(0, "value");
                               go("parent", [value] {
                                 value->store(1);
                                 JoinHandle child = go("child", [value] { value->store(value->load() * 10); });
                                 value->store(value->load() + 5);
                                 child.join();
                                 const int seen = value->load();
                                 check(seen == 60 || seen == 15, "impossible final value");
                                 if (seen == 15) report_failure(OutcomeKind::kWrongResult, "child ran last");
                               });
                             }});
  programs.push_back(Program{"data-choices", [] {
                               auto slot = std::make_shared<Atomic<int>>(0, "slot");
                               go("chooser", [slot] { slot->store(static_cast<int>(choose(3, "value"))); });
                               go("reader", [slot] {
                                 if (slot->load() == 2) report_failure(OutcomeKind::kWrongResult, "saw 2");
                               });
                             }});
  for (const Program& program : programs) {
    INFO(program.name);
    const Report full = testing::explore_dfs(program);
    const Report reduced = explore_dpor(program);
    CHECK(full.exhausted);
    CHECK(reduced.exhausted);
    CHECK(outcome_set(reduced) == outcome_set(full));
    CHECK(reduced.executions - reduced.pruned <= full.executions);
  }
}

TEST_CASE("dpor under a preemption bound explores only bounded schedules", "[dpor]") {
  // Bound 0: no preemptions at all. The two goroutines can only run one
  // after the other: "aabb" and "bbaa" (load/store pairs kept together).
  const Report report = explore_dpor(examples::lost_update(1, false), 0);
  CHECK(report.exhausted);
  CHECK(report.executions - report.pruned == 2);
  CHECK(report.failures() == 0);
  // Bound 1 is enough to lose the update.
  CHECK(explore_dpor(examples::lost_update(1, false), 1).failures() > 0);
}
