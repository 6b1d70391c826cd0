// interleave beside Relacy, in one process: exhausting the two-goroutine
// lost-update model (N rounds of load; store) and finding the lock-order
// inversion. Relacy has no reduction and counts a thread's start as a
// schedulable step: C(2N+2, N+1) executions. We run plain dfs (C(4N,2N)
// executions: one per interleaving of the 4N visible steps) and dfs with
// partial-order reduction (one per Mazurkiewicz trace). Wall times are the
// best of 3; the ratio compares exhausting N = 4.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>

#include "bench/relacy_models.hpp"
#include "examples/programs.hpp"
#include "harness/explore.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"

namespace {

struct Timed {
  std::uint64_t executions = 0;
  double seconds = 1e300;
  bool failed = false;
};

Timed best_of_3(const std::function<Timed()>& run) {
  Timed best;
  for (int i = 0; i < 3; ++i) {
    const Timed t = run();
    if (t.seconds < best.seconds) best = t;
  }
  return best;
}

Timed ours(const harness::Program& program, bool dpor, bool stop_at_failure) {
  harness::StackPool stacks;
  harness::ExploreSettings settings;
  settings.stop_at_first_failure = stop_at_failure;
  const auto start = std::chrono::steady_clock::now();
  harness::Report report;
  if (dpor) {
    harness::DporStrategy strategy;
    report = harness::explore(program, strategy, stacks, settings);
  } else {
    harness::DfsStrategy strategy;
    report = harness::explore(program, strategy, stacks, settings);
  }
  Timed t;
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.executions = report.executions - report.pruned;
  t.failed = report.failures() > 0;
  return t;
}

void row(const char* who, const Timed& t) {
  std::printf("    %-22s %10llu %12.3f ms %14.0f\n", who, static_cast<unsigned long long>(t.executions),
              t.seconds * 1e3, static_cast<double>(t.executions) / t.seconds);
}

}  // namespace

int main() {
  std::printf("interleave vs Relacy (full search), same process, best of 3\n\n");
  std::printf("lost update, two threads, N rounds of load; store (no assertion on either side: the whole space)\n");
  std::printf("    %-22s %10s %15s %14s\n", "", "executions", "wall time", "executions/s");
  Timed relacy4, dfs4, dpor4;
  for (int n = 1; n <= 4; ++n) {
    std::printf("  N = %d\n", n);
    // The same model on both sides: no check at the end (Relacy would stop
    // at the first failing execution).
    const harness::Program program = examples::lost_update_unchecked(static_cast<std::uint32_t>(n));
    const Timed relacy = best_of_3([n] {
      const relacy_models::Result r = relacy_models::lost_update(n);
      return Timed{r.executions, r.seconds, r.failed};
    });
    const Timed dfs = best_of_3([&] { return ours(program, false, false); });
    const Timed dpor = best_of_3([&] { return ours(program, true, false); });
    row("Relacy", relacy);
    row("interleave dfs", dfs);
    row("interleave dfs+dpor", dpor);
    std::printf("    Relacy / interleave wall time: %.1fx (dfs), %.1fx (dfs+dpor)\n", relacy.seconds / dfs.seconds,
                relacy.seconds / dpor.seconds);
    if (n == 4) relacy4 = relacy, dfs4 = dfs, dpor4 = dpor;
  }
  std::printf("\n  exhausting N = 4: Relacy / interleave wall time = %.1fx (dfs), %.1fx (dfs+dpor)  (target >= 10x)\n\n",
              relacy4.seconds / dfs4.seconds, relacy4.seconds / dpor4.seconds);

  std::printf("lock-order inversion: executions until the deadlock is found\n");
  const Timed relacy = best_of_3([] {
    const relacy_models::Result r = relacy_models::lock_order_inversion();
    return Timed{r.executions, r.seconds, r.failed};
  });
  const Timed dfs = best_of_3([] { return ours(examples::lock_order_inversion(), false, true); });
  const Timed dpor = best_of_3([] { return ours(examples::lock_order_inversion(), true, true); });
  row("Relacy", relacy);
  row("interleave dfs", dfs);
  row("interleave dfs+dpor", dpor);
  std::printf("  found: Relacy %s, dfs %s, dfs+dpor %s\n", relacy.failed ? "yes" : "no", dfs.failed ? "yes" : "no",
              dpor.failed ? "yes" : "no");
  return 0;
}
