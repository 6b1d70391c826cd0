// Engine benchmark. Prints, measured in the same run (the machine is shared
// and noisy: compare ratios, not absolute times):
//  (a) the cost of one preemption point through the scheduler, against a
//      bare Boost.Context scheduler -> fiber -> scheduler round trip;
//  (b) executions per second exhausting the two-goroutine lost-update model
//      (each does N times: load, store load+1) with dfs, N = 1..4, fiber
//      set-up included.
// Each figure is the best of several repetitions.
#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>

#include <boost/context/fiber.hpp>

#include "examples/programs.hpp"
#include "harness/execution.hpp"
#include "harness/explore.hpp"
#include "harness/harness.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/sync/cell.hpp"

namespace ctx = boost::context;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRepetitions = 7;

/// Best wall time in nanoseconds of `repetitions` runs of `body`.
double best_ns(const std::function<void()>& body, int repetitions = kRepetitions) {
  double best = 1e300;
  for (int i = 0; i < repetitions; ++i) {
    const auto start = Clock::now();
    body();
    best = std::min(best, std::chrono::duration<double, std::nano>(Clock::now() - start).count());
  }
  return best;
}

double bare_round_trip_ns(std::uint64_t trips) {
  harness::StackPool stacks;
  return best_ns([&] {
           ctx::fiber fiber(std::allocator_arg, harness::PooledStack(stacks), [trips](ctx::fiber&& host) {
             for (std::uint64_t i = 0; i < trips; ++i) host = std::move(host).resume();
             return std::move(host);
           });
           for (std::uint64_t i = 0; i <= trips; ++i) fiber = std::move(fiber).resume();
         }) /
         static_cast<double>(trips);
}

/// Always switches to another runnable fiber (every point costs a context
/// switch), or always stays with the current one (no switch at all).
class FixedStrategy final : public harness::Strategy {
 public:
  explicit FixedStrategy(bool switch_always) : switch_always_(switch_always) {}
  bool begin_execution() override { return !started_ && (started_ = true); }
  harness::Answer<harness::FiberId> choose_fiber(const harness::SchedulingChoice& choice) override {
    if (!switch_always_ && choice.current) return *choice.current;
    for (const harness::FiberId other : choice.runnable)
      if (other != choice.current) return other;
    return *choice.current;  // unreachable: two or more are runnable
  }
  harness::Answer<std::uint64_t> choose_data(const harness::DataChoice&) override { return std::uint64_t{0}; }
  std::optional<harness::Stop> end_execution(const harness::Outcome&) override { return std::nullopt; }
  harness::Position position() const override { return {}; }
  harness::Provenance provenance() const override { return {{"strategy", "fixed"}}; }
  harness::StepObserver* step_observer() override { return nullptr; }

 private:
  bool switch_always_;
  bool started_ = false;
};

/// ns per preemption point: `fibers` goroutines of `points` points each.
double point_ns(std::uint32_t fibers, std::uint64_t points, bool switch_always) {
  harness::StackPool stacks;
  harness::Execution execution(stacks);
  harness::Program program{"points", [fibers, points] {
                             for (std::uint32_t f = 0; f < fibers; ++f)
                               harness::go("g", [points] {
                                 for (std::uint64_t i = 0; i < points; ++i) harness::point("step");
                               });
                           }};
  const harness::ExecutionSettings settings{UINT64_MAX, false};
  return best_ns([&] {
           FixedStrategy strategy(switch_always);
           strategy.begin_execution();
           execution.run(program, strategy, settings);
         }) /
         static_cast<double>(fibers * points);
}

/// Three goroutines, each writing its own cell `steps` times and then one
/// shared cell: long executions whose only races are the last steps.
harness::Program long_independent(int steps) {
  return {"long", [steps] {
            auto shared = std::make_shared<harness::Cell<int>>(0, "shared");
            for (int g = 0; g < 3; ++g) {
              auto own = std::make_shared<harness::Cell<int>>(0, "own");
              harness::go("g", [own, shared, steps] {
                for (int i = 0; i < steps; ++i) own->set(i);
                shared->set(1);
              });
            }
          }};
}

/// µs per execution of dfs or dpor, both under preemption bound 0 (the same
/// 6 executions: every order of the three goroutines).
double per_execution_us(int steps, bool dpor) {
  const harness::Program program = long_independent(steps);
  harness::StackPool stacks;
  std::uint64_t executions = 1;
  const double ns = best_ns(
      [&] {
        harness::Report report;
        if (dpor) {
          harness::DporStrategy strategy(harness::DporSettings{0});
          report = harness::explore(program, strategy, stacks, harness::ExploreSettings{});
        } else {
          harness::DfsSettings settings;
          settings.preemption_bound = 0;
          harness::DfsStrategy strategy(settings);
          report = harness::explore(program, strategy, stacks, harness::ExploreSettings{});
        }
        executions = report.executions;
      },
      3);
  return ns / 1000.0 / static_cast<double>(executions);
}

}  // namespace

int main() {
  constexpr std::uint64_t kPoints = 2'000'000;
  std::printf("interleave engine benchmark (best of %d; ratios are what to compare)\n\n", kRepetitions);

  const double bare = bare_round_trip_ns(kPoints);
  const double switching = point_ns(2, kPoints / 2, true);
  const double staying = point_ns(2, kPoints / 2, false);
  std::printf("(a) preemption point vs bare Boost.Context round trip\n");
  std::printf("    bare scheduler->fiber->scheduler round trip   %7.1f ns\n", bare);
  std::printf("    point, 2 goroutines, switching at every point  %7.1f ns   ratio %.2f  (target <= 3)\n", switching,
              switching / bare);
  std::printf("    point, 2 goroutines, never switching           %7.1f ns   ratio %.2f\n\n", staying, staying / bare);

  std::printf("(b) dfs to exhaustion, two-goroutine lost-update model (N rounds of load; store)\n");
  std::printf("    %2s %12s %12s %16s\n", "N", "executions", "exhausted", "executions/s");
  for (std::uint32_t rounds = 1; rounds <= 4; ++rounds) {
    const harness::Program program = examples::lost_update(rounds, false);
    harness::StackPool stacks;
    std::uint64_t executions = 0;
    bool exhausted = false;
    // Whole explorations, repeated to about 100 k executions per timing so
    // that the small spaces are not timed on a few microseconds.
    const std::uint64_t space = rounds == 1 ? 6 : rounds == 2 ? 70 : rounds == 3 ? 924 : 12870;
    const std::uint64_t repeats = std::max<std::uint64_t>(1, 100000 / space);
    const double ns = best_ns(
        [&] {
          for (std::uint64_t r = 0; r < repeats; ++r) {
            harness::DfsStrategy dfs;
            const harness::Report report = harness::explore(program, dfs, stacks, harness::ExploreSettings{});
            executions = report.executions;
            exhausted = report.exhausted;
          }
        },
        3);
    std::printf("    %2u %12llu %12s %16.0f\n", rounds, static_cast<unsigned long long>(executions),
                exhausted ? "yes" : "no", static_cast<double>(executions * repeats) / (ns * 1e-9));
  }

  std::printf("\n(c) dpor's cost per execution against dfs's, by execution length (3 goroutines, preemption bound 0)\n");
  std::printf("    %8s %14s %14s %8s\n", "steps", "dfs us/exec", "dpor us/exec", "ratio");
  for (const int steps : {100, 1000, 3333}) {
    const double dfs = per_execution_us(steps, false);
    const double dpor = per_execution_us(steps, true);
    std::printf("    %8d %14.1f %14.1f %8.2f\n", 3 * steps + 3, dfs, dpor, dpor / dfs);
  }
  return 0;
}
