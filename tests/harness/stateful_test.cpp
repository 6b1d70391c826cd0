// Stateful search (harness/strategy/stateful.hpp): counts derived by hand
// for programs whose state graph is known, the same outcome classes as plain
// dfs, a livelock still reported at the step bound, and no pruning (with the
// reason) when an object keeps state it does not report.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "harness/harness.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/sync/cell.hpp"
#include "harness/sync/mutex.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using harness::testing::binomial;

namespace {

/// n goroutines each store 1 into one cell, then end.
Program same_store(int n, bool leave_no_state) {
  return {"same-store", [n, leave_no_state] {
            if (leave_no_state) goroutines_leave_no_state();
            auto x = std::make_shared<Cell<int>>(0, "x");
            for (int i = 0; i < n; ++i) go("g" + std::to_string(i), [x] { x->set(1); });
          }};
}

}  // namespace

TEST_CASE("stateful search merges orders that reach one state: derived counts", "[stateful]") {
  // With goroutines_leave_no_state, a state is the set F of finished
  // goroutines (x is 0 only for the empty set). A choice is met where at
  // least two goroutines are left (|F| <= n-2): those are the states counted.
  // Each edge out of such a state is explored once: an edge to a state with
  // one goroutine left runs on to the end (a complete execution); an edge to
  // a choice state either finds it new (a tree edge: C(n,k) of them at
  // level k >= 1) or ends its run as pruned.
  for (int n = 2; n <= 6; ++n) {
    std::uint64_t states_expected = 0, edges_into_choice_states = 0, tree_edges = 0;
    for (int k = 0; k <= n - 2; ++k) states_expected += binomial(n, k);
    for (int k = 0; k <= n - 3; ++k) edges_into_choice_states += binomial(n, k) * (n - k);
    for (int k = 1; k <= n - 2; ++k) tree_edges += binomial(n, k);
    const std::uint64_t complete = binomial(n, n - 2) * 2;
    const std::uint64_t pruned = edges_into_choice_states - tree_edges;

    std::uint64_t states = 0;
    const Report report = testing::explore_stateful(same_store(n, true), &states);
    INFO("n = " << n);
    CHECK(report.exhausted);
    CHECK(states == states_expected);
    CHECK(report.pruned == pruned);
    CHECK(report.executions - report.pruned == complete);
    // Plain dfs runs every order: n! executions.
    std::uint64_t factorial = 1;
    for (int i = 2; i <= n; ++i) factorial *= static_cast<std::uint64_t>(i);
    CHECK(testing::explore_dfs(same_store(n, true)).executions == factorial);
  }
}

TEST_CASE("stateful search keeps what finished goroutines observed unless told they leave nothing", "[stateful]") {
  // Each goroutine reads the cell, then stores 1: what it read (0 or 1)
  // stays in the state unless finished goroutines leave nothing behind, so
  // fewer merges, and the same outcomes. (A store alone observes nothing:
  // it reads nothing of the cell.)
  auto read_then_store = [](bool leave_no_state) {
    return Program{"read-then-store", [leave_no_state] {
                     if (leave_no_state) goroutines_leave_no_state();
                     auto x = std::make_shared<Cell<int>>(0, "x");
                     for (int i = 0; i < 4; ++i)
                       go("g" + std::to_string(i), [x] {
                         (void)x->get();
                         x->set(1);
                       });
                   }};
  };
  std::uint64_t kept = 0, forgotten = 0;
  const Report with_history = testing::explore_stateful(read_then_store(false), &kept);
  const Report without = testing::explore_stateful(read_then_store(true), &forgotten);
  CHECK(kept > forgotten);
  CHECK(with_history.executions > without.executions);
  CHECK(testing::outcome_set(with_history) == testing::outcome_set(without));
  // The derived counts above hold with or without the promise for stores
  // alone: a goroutine that only stored observed nothing.
  std::uint64_t stores_kept = 0, stores_forgotten = 0;
  (void)testing::explore_stateful(same_store(4, false), &stores_kept);
  (void)testing::explore_stateful(same_store(4, true), &stores_forgotten);
  CHECK(stores_kept == stores_forgotten);
}

TEST_CASE("stateful search reaches plain dfs's outcome classes on small programs", "[stateful]") {
  // The lost update (load; store) for two and three goroutines, rounds 1-3,
  // with an end check on the final count: every final value dfs sees.
  for (int goroutines = 2; goroutines <= 3; ++goroutines) {
    for (int rounds = 1; rounds <= (goroutines == 2 ? 3 : 2); ++rounds) {
      const Program program{"lost-update", [goroutines, rounds] {
                              goroutines_leave_no_state();
                              auto x = std::make_shared<Atomic<int>>(0, "x");
                              for (int g = 0; g < goroutines; ++g)
                                go("g" + std::to_string(g), [x, rounds] {
                                  for (int r = 0; r < rounds; ++r) x->store(x->load() + 1);
                                });
                              at_end([x, goroutines, rounds] {
                                const int final_value = x->peek();
                                if (final_value != goroutines * rounds)
                                  report_failure(OutcomeKind::kWrongResult, "final " + std::to_string(final_value));
                              });
                            }};
      const Report full = testing::explore_dfs(program);
      std::uint64_t states = 0;
      const Report merged = testing::explore_stateful(program, &states);
      INFO(goroutines << " goroutines x " << rounds << " rounds: dfs " << full.executions << ", stateful "
                      << merged.executions << " (" << merged.pruned << " pruned), " << states << " states");
      CHECK(merged.exhausted);
      CHECK(testing::outcome_set(merged) == testing::outcome_set(full));
      CHECK(merged.executions < full.executions);
    }
  }
  // A mutex and a lock-order inversion: the deadlock, with its message.
  const Program inversion{"inversion", [] {
                            goroutines_leave_no_state();
                            auto a = std::make_shared<Mutex>("a");
                            auto b = std::make_shared<Mutex>("b");
                            go("ab", [a, b] {
                              a->lock();
                              b->lock();
                              b->unlock();
                              a->unlock();
                            });
                            go("ba", [a, b] {
                              b->lock();
                              a->lock();
                              a->unlock();
                              b->unlock();
                            });
                          }};
  const Report full = testing::explore_dfs(inversion);
  const Report merged = testing::explore_stateful(inversion);
  CHECK(merged.find(OutcomeKind::kDeadlock) != nullptr);
  CHECK(testing::outcome_set(merged) == testing::outcome_set(full));
}

TEST_CASE("stateful search still runs a livelock into the step bound", "[stateful]") {
  // 'spinner' waits for a flag 'setter' may never get to set before the
  // bound. It declares its local state at the loop's head (as an
  // interpreter would), so going round the loop returns to a state on the
  // run's own path: that is not pruned, and the step bound is reached as in
  // plain dfs (pruning it would lose the class).
  const Program spin{"spin", [] {
                       goroutines_leave_no_state();
                       auto flag = std::make_shared<Cell<int>>(0, "flag");
                       go("spinner", [flag] {
                         do {
                           goroutine_state_is(StateDigest{1, 1});  // at the loop's head: nothing else is live
                         } while (flag->get() == 0);
                       });
                       go("setter", [flag] { flag->set(1); });
                     }};
  StackPool stacks;
  DfsStrategy dfs(DfsSettings{std::nullopt, UINT64_MAX});
  ExploreSettings settings;
  settings.max_steps = 12;
  const Report full = explore(spin, dfs, stacks, settings);
  const Report merged = testing::explore_stateful(spin, nullptr, nullptr, 12);
  REQUIRE(full.find(OutcomeKind::kStepBound) != nullptr);
  CHECK(merged.find(OutcomeKind::kStepBound) != nullptr);
  CHECK(testing::outcome_set(merged) == testing::outcome_set(full));
}

TEST_CASE("stateful search prunes nothing when an object keeps state it does not report", "[stateful]") {
  // A Cell of a type with no state digest: the run's state is unknown.
  struct Opaque {
    int value = 0;
  };
  const Program program{"opaque", [] {
                          goroutines_leave_no_state();
                          auto x = std::make_shared<Cell<Opaque>>(Opaque{}, "opaque");
                          for (int i = 0; i < 3; ++i) go("g" + std::to_string(i), [x] { x->set(Opaque{1}); });
                        }};
  std::string unknown;
  const Report merged = testing::explore_stateful(program, nullptr, &unknown);
  CHECK(merged.pruned == 0);
  CHECK(merged.executions == testing::explore_dfs(program).executions);
  CHECK(unknown == "cell 'opaque'");
}
