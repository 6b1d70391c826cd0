// Exhaustive DFS must visit every interleaving exactly once.
//
// Two goroutines with k preemption points each: a schedule is a word of k
// a's and k b's (who takes each step), so there are C(2k, k) of them. Three
// goroutines: the multinomial (3k)! / (k!)^3.
//
// With a preemption bound P: a word with r maximal runs has r - 1 switches;
// exactly one of them is free (the one after the goroutine that finishes
// first takes its last step), so it has r - 2 preemptions. Words with r runs:
//   r = 2m:     2 * C(k-1, m-1)^2            (m runs each, either letter first)
//   r = 2m + 1: 2 * C(k-1, m) * C(k-1, m-1)  (m+1 runs of the first letter)
// so the bounded count is the sum of those for r = 2 .. P + 2.
#include <catch2/catch.hpp>

#include <memory>
#include <set>
#include <string>

#include "harness/harness.hpp"
#include "harness/strategy/dfs.hpp"
#include "tests/support/explore_helpers.hpp"
#include "examples/programs.hpp"

using namespace harness;
using harness::testing::binomial;

namespace {

std::uint64_t words_with_runs(std::uint64_t k, std::uint64_t runs) {
  const std::uint64_t m = runs / 2;
  if (runs % 2 == 0) return 2 * binomial(k - 1, m - 1) * binomial(k - 1, m - 1);
  return 2 * binomial(k - 1, m) * binomial(k - 1, m - 1);
}

std::uint64_t bounded_count(std::uint64_t k, std::uint64_t bound) {
  std::uint64_t total = 0;
  for (std::uint64_t runs = 2; runs <= std::min(bound + 2, 2 * k); ++runs) total += words_with_runs(k, runs);
  return total;
}

std::uint64_t factorial(std::uint64_t n) { return n <= 1 ? 1 : n * factorial(n - 1); }

}  // namespace

TEST_CASE("dfs explores C(2k,k) interleavings of two goroutines, each once", "[dfs]") {
  for (std::uint32_t k = 1; k <= 6; ++k) {
    // Each execution writes down who took each step; all words must differ.
    auto seen = std::make_shared<std::set<std::string>>();
    Program program{"words", [k, seen] {
                      auto word = std::make_shared<std::string>();
                      for (const char* name : {"a", "b"}) {
                        go(name, [k, word, name] {
                          for (std::uint32_t i = 0; i < k; ++i) {
                            point("step");
                            *word += name;
                          }
                        });
                      }
                      at_end([word, seen] { seen->insert(*word); });
                    }};
    const Report report = testing::explore_dfs(program);
    INFO("k = " << k);
    CHECK(report.exhausted);
    CHECK(report.executions == binomial(2 * k, k));
    CHECK(seen->size() == binomial(2 * k, k));
    CHECK(report.failures() == 0);
  }
}

TEST_CASE("dfs explores (3k)!/(k!)^3 interleavings of three goroutines", "[dfs]") {
  for (std::uint32_t k = 1; k <= 4; ++k) {
    const Report report = testing::explore_dfs(examples::independent_points(3, k));
    INFO("k = " << k);
    CHECK(report.exhausted);
    CHECK(report.executions == factorial(3 * k) / (factorial(k) * factorial(k) * factorial(k)));
  }
}

TEST_CASE("a preemption bound keeps exactly the schedules with at most that many preemptions", "[dfs]") {
  for (std::uint32_t k = 1; k <= 6; ++k) {
    for (std::uint32_t bound = 0; bound <= 4; ++bound) {
      const Report report = testing::explore_dfs(examples::independent_points(2, k), bound);
      INFO("k = " << k << ", bound = " << bound);
      CHECK(report.exhausted);
      CHECK(report.executions == bounded_count(k, bound));
    }
    // A bound that cannot bind gives the unbounded count.
    CHECK(bounded_count(k, 2 * k) == binomial(2 * k, k));
  }
}

TEST_CASE("dfs enumerates data choices like scheduling choices", "[dfs]") {
  auto seen = std::make_shared<std::set<std::pair<std::uint64_t, std::uint64_t>>>();
  Program program{"data", [seen] {
                    go("chooser", [seen] {
                      const std::uint64_t first = choose(3, "first");
                      point("between");
                      const std::uint64_t second = choose(4, "second");
                      seen->insert({first, second});
                    });
                  }};
  const Report report = testing::explore_dfs(program);
  CHECK(report.exhausted);
  CHECK(report.executions == 12);
  CHECK(seen->size() == 12);
}

TEST_CASE("dfs stops at its execution cap and says the space was not exhausted", "[dfs]") {
  StackPool stacks;
  DfsStrategy dfs(DfsSettings{std::nullopt, 5});
  const Report report = explore(examples::independent_points(2, 3), dfs, stacks, ExploreSettings{});
  CHECK(report.executions == 5);
  CHECK_FALSE(report.exhausted);
}

TEST_CASE("dfs reports a program that is not deterministic", "[dfs]") {
  auto runs = std::make_shared<int>(0);
  Program program{"flaky", [runs] {
                    const int run = (*runs)++;
                    go("a", [] { point("x"); point("x"); });
                    // A second goroutine exists only on the first run: hidden nondeterminism.
                    if (run == 0) go("b", [] { point("y"); });
                  }};
  const Report report = testing::explore_dfs(program);
  const OutcomeClass* divergence = report.find(OutcomeKind::kDivergence);
  REQUIRE(divergence != nullptr);
  CHECK_THAT(divergence->outcome.message, Catch::Matchers::Contains("not deterministic"));
}
