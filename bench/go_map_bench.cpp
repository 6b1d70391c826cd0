// Sequential GoMap speed outside the scheduler (preemption points are no-ops
// there) against std::unordered_map, measured in the same run: the model
// is allowed to be slower, and this says by how much. Then the same
// operations inside an execution, where every preemption point is a real
// step: what the engine adds per GoMap step, beside the model's own work.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <unordered_map>

#include "harness/execution.hpp"
#include "harness/fiber/stack_pool.hpp"
#include "harness/harness.hpp"
#include "harness/rng.hpp"
#include "harness/strategy/random_walk.hpp"
#include "maps/go/go_map.hpp"

using Clock = std::chrono::steady_clock;

namespace {

constexpr int kOperations = 1'000'000;
constexpr int kKeys = 100'000;

double best_ns(const std::function<void()>& body) {
  double best = 1e300;
  for (int i = 0; i < 5; ++i) {
    const auto start = Clock::now();
    body();
    best = std::min(best, std::chrono::duration<double, std::nano>(Clock::now() - start).count());
  }
  return best;
}

/// The same seeded mix on any map: 50% put, 40% get, 10% delete.
template <typename Put, typename Get, typename Erase>
std::int64_t run_mix(Put put, Get get, Erase erase) {
  harness::Rng rng(42);
  std::int64_t found = 0;
  for (int i = 0; i < kOperations; ++i) {
    const auto key = static_cast<std::int64_t>(rng.below(kKeys));
    const std::uint64_t op = rng.below(10);
    if (op < 5) put(key, i);
    else if (op < 9) found += get(key);
    else erase(key);
  }
  return found;
}

/// The mix inside one execution: `goroutines` goroutines, each running
/// the whole mix on its own map, scheduled by a seeded random walk (with
/// one goroutine every step is forced). Returns ns per operation; `steps`
/// gets the steps one execution takes.
double in_execution_ns(std::uint32_t goroutines, std::uint64_t* steps) {
  harness::StackPool stacks;
  harness::Execution execution(stacks);
  const harness::Program program{"mix", [goroutines] {
                                   for (std::uint32_t g = 0; g < goroutines; ++g)
                                     harness::go("g", [] {
                                       maps::GoMap map(maps::GoMapOptions{});
                                       run_mix([&](std::int64_t k, std::int64_t v) { map.mapassign(k, v); },
                                               [&](std::int64_t k) { return map.mapaccess(k).has_value() ? 1 : 0; },
                                               [&](std::int64_t k) { map.mapdelete(k); });
                                     });
                                 }};
  const harness::ExecutionSettings settings{UINT64_MAX, false};
  const double ns = best_ns([&] {
    harness::RandomWalkStrategy random(1, 1);
    random.begin_execution();
    execution.run(program, random, settings);
    *steps = execution.steps();
  });
  return ns / (static_cast<double>(goroutines) * kOperations);
}

}  // namespace

int main() {
  std::int64_t go_found = 0, std_found = 0;
  const double go_ns = best_ns([&] {
    maps::GoMap map(maps::GoMapOptions{});
    go_found = run_mix([&](std::int64_t k, std::int64_t v) { map.mapassign(k, v); },
                       [&](std::int64_t k) { return map.mapaccess(k).has_value() ? 1 : 0; },
                       [&](std::int64_t k) { map.mapdelete(k); });
  });
  const double std_ns = best_ns([&] {
    std::unordered_map<std::int64_t, std::int64_t> map;
    std_found = run_mix([&](std::int64_t k, std::int64_t v) { map[k] = v; },
                        [&](std::int64_t k) { return map.count(k) ? 1 : 0; },
                        [&](std::int64_t k) { map.erase(k); });
  });
  std::printf("GoMap vs std::unordered_map, %d sequential operations on %d keys (50%% put, 40%% get, 10%% delete), "
              "best of 5\n",
              kOperations, kKeys);
  std::printf("  GoMap               %8.1f ns/op\n", go_ns / kOperations);
  std::printf("  std::unordered_map  %8.1f ns/op\n", std_ns / kOperations);
  std::printf("  ratio GoMap / std   %8.2f\n", go_ns / std_ns);
  std::uint64_t steps_one = 0, steps_two = 0;
  const double one_ns = in_execution_ns(1, &steps_one);
  const double two_ns = in_execution_ns(2, &steps_two);
  const double points_per_op = static_cast<double>(steps_one) / kOperations;
  std::printf("\nThe same mix inside an execution (every preemption point a step), best of 5\n");
  std::printf("  one goroutine (forced steps)            %8.1f ns/op  %5.2f steps/op  engine %5.1f ns/step\n", one_ns,
              points_per_op, (one_ns - go_ns / kOperations) / points_per_op);
  std::printf("  two goroutines, random walk (switching) %8.1f ns/op  %5.2f steps/op  engine %5.1f ns/step\n", two_ns,
              static_cast<double>(steps_two) / (2.0 * kOperations),
              (two_ns - go_ns / kOperations) / (static_cast<double>(steps_two) / (2.0 * kOperations)));
  std::printf("  (engine = the op's time inside minus outside, per step: choosing, switching, recording)\n");
  if (go_found != std_found) {
    std::printf("  MISMATCH: the two maps found %lld and %lld keys\n", static_cast<long long>(go_found),
                static_cast<long long>(std_found));
    return 1;
  }
  return 0;
}
