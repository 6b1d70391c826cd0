// Delay bounding explores exactly the schedules with at most D delays, each
// once. The counts are derived here without the strategy:
//  - by brute force: every interleaving of k goroutines with m steps each is
//    enumerated, the delays of each are counted by simulating the
//    deterministic scheduler (non-preemptive round robin by goroutine id; a
//    delay skips one runnable goroutine), and those within the bound must be
//    exactly the schedules explored;
//  - in closed form: k goroutines of one step each are permutations, and the
//    delays of a permutation are its inversions (the first choice skips i
//    goroutines to take the (i+1)-th, and so on: the Lehmer code), so the
//    count is the number of permutations with at most D inversions
//    (Mahonian numbers, by their recurrence);
//  - two goroutines of m steps: a word of r runs has r - 2 delays if it
//    starts with goroutine 0 and r - 1 if it starts with goroutine 1 (every
//    switch away from a goroutine that could go on costs one, the switch
//    after the first to finish is free, and starting with 1 skips 0), and
//    there are 2 C(m-1, ⌊r/2⌋-1) C(m-1, ⌈r/2⌉-1) words of r runs, half of
//    them starting with each goroutine.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "examples/programs.hpp"
#include "harness/harness.hpp"
#include "harness/parallel.hpp"
#include "harness/strategy/delay_bound.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/sync/atomic.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using harness::testing::binomial;

namespace {

Report explore_delay(const Program& program, std::uint32_t bound, ExploreSettings settings = {}) {
  StackPool stacks;
  DelayBoundStrategy strategy(DelayBoundSettings{bound, UINT64_MAX});
  return explore(program, strategy, stacks, settings);
}

/// k goroutines, each taking m plain steps; each execution adds the word
/// of who took each step ('0' + id) to `seen`.
Program words(std::uint32_t k, std::uint32_t m, std::shared_ptr<std::multiset<std::string>> seen) {
  return Program{"words", [k, m, seen] {
                   auto word = std::make_shared<std::string>();
                   for (std::uint32_t f = 0; f < k; ++f) {
                     go(std::string(1, static_cast<char>('a' + f)), [m, f, word] {
                       for (std::uint32_t i = 0; i < m; ++i) {
                         point("step");
                         *word += static_cast<char>('0' + f);
                       }
                     });
                   }
                   at_end([word, seen] { seen->insert(*word); });
                 }};
}

/// The delays the deterministic scheduler needs to produce `word` (k
/// goroutines, m steps each): at each step, walk the goroutine ids in
/// cyclic order from where round robin stands (the goroutine that just ran
/// if it can go on, else the id after it, 0 at first) and count the
/// runnable goroutines passed before the one that takes the step.
std::uint64_t delays_of(const std::string& word, std::uint32_t k, std::uint32_t m) {
  std::vector<std::uint32_t> left(k, m);
  int last = -1;
  std::uint64_t delays = 0;
  for (char c : word) {
    const std::uint32_t taker = static_cast<std::uint32_t>(c - '0');
    std::uint32_t runnable = 0;
    for (std::uint32_t f = 0; f < k; ++f) runnable += left[f] > 0 ? 1 : 0;
    if (runnable >= 2) {
      std::uint32_t id = last < 0 ? 0 : left[static_cast<std::uint32_t>(last)] > 0 ? static_cast<std::uint32_t>(last)
                                                                                 : (static_cast<std::uint32_t>(last) + 1) % k;
      for (; id != taker; id = (id + 1) % k) delays += left[id] > 0 ? 1 : 0;
    }
    --left[taker];
    last = static_cast<int>(taker);
  }
  return delays;
}

/// Every interleaving of k goroutines with m steps each.
std::vector<std::string> all_words(std::uint32_t k, std::uint32_t m) {
  std::string word;
  for (std::uint32_t f = 0; f < k; ++f) word += std::string(m, static_cast<char>('0' + f));
  std::vector<std::string> result;
  do result.push_back(word);
  while (std::next_permutation(word.begin(), word.end()));
  return result;
}

/// Permutations of n with at most d inversions: M(n, i) = Σ_{j ≤ min(i, n-1)} M(n-1, i-j).
std::uint64_t permutations_with_at_most_inversions(std::uint64_t n, std::uint64_t d) {
  std::vector<std::uint64_t> by_inversions{1};  // n = 0
  for (std::uint64_t size = 1; size <= n; ++size) {
    std::vector<std::uint64_t> next(by_inversions.size() + size - 1, 0);
    for (std::size_t i = 0; i < next.size(); ++i)
      for (std::uint64_t j = 0; j < size && j <= i; ++j)
        if (i - j < by_inversions.size()) next[i] += by_inversions[i - j];
    by_inversions = std::move(next);
  }
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < by_inversions.size() && i <= d; ++i) total += by_inversions[i];
  return total;
}

std::uint64_t words_with_runs(std::uint64_t m, std::uint64_t runs) {
  const std::uint64_t half = runs / 2;
  if (runs % 2 == 0) return 2 * binomial(m - 1, half - 1) * binomial(m - 1, half - 1);
  return 2 * binomial(m - 1, half) * binomial(m - 1, half - 1);
}

/// Two goroutines of m steps, at most d delays (see the header comment).
std::uint64_t two_goroutines(std::uint64_t m, std::uint64_t d) {
  std::uint64_t total = 0;
  for (std::uint64_t runs = 2; runs <= 2 * m; ++runs) {
    if (runs - 2 <= d) total += words_with_runs(m, runs) / 2;  // starting with goroutine 0
    if (runs - 1 <= d) total += words_with_runs(m, runs) / 2;  // starting with goroutine 1
  }
  return total;
}

std::set<Outcome> classes_of(const Report& report) {
  std::set<Outcome> classes;
  for (const auto& c : report.classes) classes.insert(c.outcome);
  return classes;
}

std::map<Outcome, std::uint64_t> counts_of(const Report& report) {
  std::map<Outcome, std::uint64_t> counts;
  for (const auto& c : report.classes) counts[c.outcome] = c.count;
  return counts;
}

}  // namespace

TEST_CASE("delay bound 0 runs exactly one schedule", "[delay]") {
  for (std::uint32_t k = 2; k <= 6; ++k) {
    for (std::uint32_t m = 1; m <= 3; ++m) {
      const Report report = explore_delay(examples::independent_points(k, m), 0);
      INFO(k << " goroutines of " << m << " steps");
      CHECK(report.exhausted);
      CHECK(report.executions == 1);
    }
  }
  for (const Program& program : {examples::lost_update(3, false), examples::lost_update(2, true),
                                 examples::recursive_rlock(), examples::lock_order_inversion()}) {
    INFO(program.name);
    const Report report = explore_delay(program, 0);
    CHECK(report.exhausted);
    CHECK(report.executions == 1);
    // …where preemption bound 0 runs every order of whole goroutines.
    CHECK(testing::explore_dfs(program, 0).executions >= 2);
  }
}

TEST_CASE("the bound-0 schedule is non-preemptive round robin", "[delay]") {
  // Goroutines 0 and 1 each take two steps, 2 one: round robin runs each to
  // its end in id order.
  auto seen = std::make_shared<std::multiset<std::string>>();
  explore_delay(words(3, 2, seen), 0);
  CHECK(*seen == std::multiset<std::string>{"001122"});

  // After a goroutine finishes, round robin goes on with the next id, not
  // the lowest: 0 takes a step and waits for 1; when 1 ends, both 0 and 2
  // can run, and 2 goes first.
  auto word = std::make_shared<std::string>();
  Program program{"round-robin-wraps", [word] {
                    auto second = std::make_shared<JoinHandle>();
                    go("zero", [second, word] {
                      point("step");
                      second->join();
                      *word += '0';
                    });
                    *second = go("one", [word] {
                      point("step");
                      *word += '1';
                    });
                    go("two", [word] {
                      point("step");
                      *word += '2';
                    });
                  }};
  const Report report = explore_delay(program, 0);
  CHECK(report.executions == 1);
  CHECK(*word == "120");
}

TEST_CASE("delay bounding explores exactly the interleavings with at most D delays, each once (brute force)",
          "[delay]") {
  struct Shape {
    std::uint32_t k, m;
  };
  for (const Shape shape : {Shape{2, 3}, Shape{2, 4}, Shape{3, 1}, Shape{3, 2}, Shape{3, 3}, Shape{4, 1},
                            Shape{4, 2}}) {
    const std::vector<std::string> every = all_words(shape.k, shape.m);
    std::uint64_t most = 0;
    for (const std::string& w : every) most = std::max(most, delays_of(w, shape.k, shape.m));
    for (std::uint32_t bound = 0; bound <= most + 1; ++bound) {
      std::multiset<std::string> expected;
      for (const std::string& w : every)
        if (delays_of(w, shape.k, shape.m) <= bound) expected.insert(w);
      auto seen = std::make_shared<std::multiset<std::string>>();
      const Report report = explore_delay(words(shape.k, shape.m, seen), bound);
      INFO(shape.k << " goroutines of " << shape.m << " steps, delay bound " << bound);
      CHECK(report.exhausted);
      CHECK(report.executions == expected.size());
      CHECK(*seen == expected);  // the same schedules, each once (a multiset keeps repeats)
    }
    // Past the largest number of delays any schedule needs, every interleaving.
    CHECK(every.size() == testing::explore_dfs(words(shape.k, shape.m, std::make_shared<std::multiset<std::string>>()))
                              .executions);
  }
}

TEST_CASE("k one-step goroutines: as many schedules as permutations with at most D inversions", "[delay]") {
  for (std::uint32_t k = 1; k <= 6; ++k) {
    for (std::uint32_t bound = 0; bound <= k * (k - 1) / 2 + 1; ++bound) {
      INFO(k << " goroutines, delay bound " << bound);
      const Report report = explore_delay(examples::independent_points(k, 1), bound);
      CHECK(report.exhausted);
      CHECK(report.executions == permutations_with_at_most_inversions(k, bound));
    }
  }
  CHECK(permutations_with_at_most_inversions(6, 15) == 720);  // the recurrence itself: all 6! at the top
}

TEST_CASE("two goroutines of m steps: the count by runs", "[delay]") {
  for (std::uint32_t m = 1; m <= 6; ++m) {
    for (std::uint32_t bound = 0; bound <= 2 * m; ++bound) {
      INFO(m << " steps each, delay bound " << bound);
      const Report report = explore_delay(examples::independent_points(2, m), bound);
      CHECK(report.executions == two_goroutines(m, bound));
    }
    CHECK(two_goroutines(m, 2 * m) == binomial(2 * m, m));
  }
}

TEST_CASE("data choices are explored exhaustively, delays or not", "[delay]") {
  auto program = [](std::shared_ptr<std::multiset<std::string>> seen) {
    return Program{"data", [seen] {
                     auto word = std::make_shared<std::string>();
                     go("a", [word] {
                       point("step");
                       *word += static_cast<char>('0' + choose(3, "x"));
                     });
                     go("b", [word] {
                       point("step");
                       *word += static_cast<char>('a' + choose(2, "y"));
                     });
                     at_end([word, seen] { seen->insert(*word); });
                   }};
  };
  auto seen = std::make_shared<std::multiset<std::string>>();
  CHECK(explore_delay(program(seen), 0).executions == 6);  // one schedule, 3 × 2 values
  CHECK(seen->size() == 6);
  CHECK(std::set<std::string>(seen->begin(), seen->end()).size() == 6);
  auto both = std::make_shared<std::multiset<std::string>>();
  CHECK(explore_delay(program(both), 1).executions == 12);  // both orders of the two steps
  CHECK(std::set<std::string>(both->begin(), both->end()).size() == 12);
}

TEST_CASE("delay bounding reaches every outcome class dfs reaches", "[delay]") {
  // One delay is enough for these bugs: the lost update a switch between
  // one goroutine's load and store; the read-lock trap the writer's Lock
  // between the reader's two RLocks; the lock inversion a switch after the
  // first goroutine's first Lock.
  for (const Program& program : {examples::lost_update(1, false), examples::lost_update(2, true),
                                 examples::recursive_rlock(), examples::lock_order_inversion()}) {
    INFO(program.name);
    const Report dfs = testing::explore_dfs(program);
    CHECK(classes_of(explore_delay(program, 1)) == classes_of(dfs));
  }
  // Two rounds each: with one delay, a runs part of its four steps, b all of
  // its, then a the rest (or b first, whole, for the delay): split between
  // a load and its store, b's two updates are lost (counter 2); split
  // elsewhere, none is. Losing exactly one (counter 3) takes a second delay.
  {
    const Program program = examples::lost_update(2, false);
    const Report dfs = testing::explore_dfs(program);
    REQUIRE(dfs.classes.size() == 3);  // 2, 3 and 4
    const Report one = explore_delay(program, 1);
    CHECK(one.classes.size() == 2);
    CHECK(one.classes.back().outcome.message == "lost update: counter is 2, expected 4");
    CHECK(classes_of(explore_delay(program, 2)) == classes_of(dfs));
  }
  for (const Program& program : {examples::lost_update(1, false), examples::lost_update(2, false),
                                 examples::lost_update(2, true), examples::recursive_rlock(),
                                 examples::lock_order_inversion()}) {
    INFO(program.name);
    const Report dfs = testing::explore_dfs(program);
    // Unbounded, it is every schedule once: the same executions, class by class.
    const Report all = explore_delay(program, 1000);
    CHECK(all.exhausted);
    CHECK(all.executions == dfs.executions);
    CHECK(counts_of(all) == counts_of(dfs));
  }
  // Bound 0 is not enough for any of the failures.
  for (const Program& program : {examples::lost_update(1, false), examples::recursive_rlock(),
                                 examples::lock_order_inversion()}) {
    INFO(program.name);
    CHECK(explore_delay(program, 0).failures() == 0);
  }
}

TEST_CASE("delay bounding runs its executions in increasing order key, the same each time", "[delay]") {
  auto keys_of = [] {
    std::vector<std::vector<std::uint64_t>> keys;
    ExploreSettings settings;
    settings.on_execution = [&keys](const Strategy& s, const Outcome&) {
      keys.push_back(s.position().order_key);
      return true;
    };
    explore_delay(examples::lost_update(2, false), 3, settings);
    return keys;
  };
  const auto keys = keys_of();
  REQUIRE(keys.size() > 10);
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  CHECK(std::adjacent_find(keys.begin(), keys.end()) == keys.end());
  CHECK(keys == keys_of());
  const Provenance provenance = DelayBoundStrategy(DelayBoundSettings{3, UINT64_MAX}).provenance();
  CHECK(provenance == Provenance{{"strategy", "delay"}, {"delay-bound", "3"}});
}

TEST_CASE("delay-bounded shards and threads cover the space exactly once", "[delay][parallel]") {
  const Program program = examples::lost_update(2, false);
  constexpr std::uint32_t kBound = 3;
  const Report whole = explore_delay(program, kBound);
  auto make = [](std::uint64_t cap) -> StrategyFactory {
    return [cap] { return std::make_unique<DelayBoundStrategy>(DelayBoundSettings{kBound, cap}); };
  };
  for (std::uint32_t count : {2u, 3u, 7u}) {
    std::vector<Report> parts;
    for (std::uint32_t k = 0; k < count; ++k) {
      StackPool stacks;
      std::unique_ptr<Strategy> strategy = make(UINT64_MAX)();
      ShardedStrategy part(*strategy, Shard{k, count});
      parts.push_back(explore(program, part, stacks, ExploreSettings{}));
    }
    const Report merged = merge_reports(std::move(parts));
    INFO(count << " shards");
    CHECK(merged.exhausted);
    CHECK(merged.executions == whole.executions);
    CHECK(counts_of(merged) == counts_of(whole));
    for (std::size_t i = 0; i < whole.classes.size(); ++i)
      CHECK(write_trace(merged.classes[i].first_trace) == write_trace(whole.classes[i].first_trace));
  }
  // Capped on three threads: the first `cap` executions in key order, as one thread.
  const std::uint64_t cap = whole.executions / 2;
  const Report one = explore_parallel_capped(program, make(cap), Shard{}, 1, cap, ExploreSettings{});
  const Report three = explore_parallel_capped(program, make(cap), Shard{}, 3, cap, ExploreSettings{});
  CHECK(one.executions == cap);
  CHECK(three.executions == cap);
  CHECK(counts_of(one) == counts_of(three));
}
