// Time to first bug on the SCTBench ports (bench/sctbench/): per program and
// strategy, the executions run and the wall time until the first execution
// that hits the program's bug, measured in this one run.
//
// Strategies: dfs with iterative preemption bounding (bounds 0, 1, 2, …,
// each explored whole before the next; executions add up), delay bounding
// iterated the same way, random walks and pct depth 3 (median of 5 seeds),
// dfs + dpor (unbounded), stateful dfs (unbounded, each state once:
// harness/strategy/stateful.hpp), and the CLI's default mix (dfs up to the budget,
// then pct depth 3 and random walks with the budget again, seed 1), and the
// mix this branch proposes: delay bounds 0, 1 and 2 first (at most a tenth
// of the budget), then the default mix.
// Each cell stops after 10 s (or 10,000,000 executions): "not found".
// Usage: time_to_first_bug_sct [NAME…]   (default: every program)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "bench/sctbench/programs.hpp"
#include "harness/execution.hpp"
#include "harness/strategy/delay_bound.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/stateful.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "tools/interleave/run_scenario.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kMaxExecutions = 10000000;
constexpr double kMaxSeconds = 10.0;
constexpr int kSeeds = 5;

/// What one cell spent, across the strategies it ran in turn.
struct Cell {
  std::uint64_t executions = 0;
  double seconds = 0;
  bool found = false;
  std::string note;  ///< "P=1", "D=4", "pct", "space covered", …
};

enum class Run { kFound, kExhausted, kStopped, kCapped };

/// Runs `strategy` until the bug (an outcome of `kind`), the end of its
/// space, its own stop, or the cell's cap; adds what it spent to `cell`.
Run run_until_bug(const harness::Program& program, harness::Strategy& strategy, harness::OutcomeKind kind, Cell& cell,
                  Clock::time_point start, bool track_state = false) {
  harness::StackPool stacks;
  harness::Execution execution(stacks);
  for (;;) {
    if (cell.executions >= kMaxExecutions) return Run::kCapped;
    if (cell.executions % 256 == 0) {
      cell.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      if (cell.seconds >= kMaxSeconds) return Run::kCapped;
    }
    if (!strategy.begin_execution()) {
      cell.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      return strategy.position().exhausted ? Run::kExhausted : Run::kStopped;
    }
    harness::ExecutionSettings settings{10000, false};
    settings.track_state = track_state;
    const harness::Outcome& outcome = execution.run(program, strategy, settings);
    ++cell.executions;
    if (outcome.kind == kind) {
      cell.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      cell.found = true;
      return Run::kFound;
    }
  }
}

/// Bounds 0, 1, 2, … of an exhaustive strategy, each explored whole.
Cell iterative(const harness::Program& program, harness::OutcomeKind kind, char letter,
               const std::function<std::unique_ptr<harness::Strategy>(std::uint32_t, std::uint64_t)>& make) {
  Cell cell;
  const auto start = Clock::now();
  std::uint64_t previous = UINT64_MAX;  // executions of the previous bound alone
  for (std::uint32_t bound = 0;; ++bound) {
    const std::uint64_t before = cell.executions;
    std::unique_ptr<harness::Strategy> strategy = make(bound, kMaxExecutions - cell.executions);
    const Run run = run_until_bug(program, *strategy, kind, cell, start);
    if (run == Run::kFound) {
      cell.note = fmt::format("{}={}", letter, bound);
      return cell;
    }
    if (run != Run::kExhausted) {
      cell.note = fmt::format("at {}={}", letter, bound);
      return cell;
    }
    const std::uint64_t here = cell.executions - before;
    if (here == previous) {  // a bigger bound added nothing: the whole space is covered
      cell.note = "space covered";
      return cell;
    }
    previous = here;
  }
}

Cell once(const harness::Program& program, harness::OutcomeKind kind, harness::Strategy& strategy,
         bool track_state = false) {
  Cell cell;
  run_until_bug(program, strategy, kind, cell, Clock::now(), track_state);
  return cell;
}

/// The median over seeds 1..kSeeds of executions and of time; found if most seeds found it.
Cell median_of_seeds(const std::function<Cell(std::uint64_t)>& run) {
  std::vector<Cell> cells;
  for (int seed = 1; seed <= kSeeds; ++seed) cells.push_back(run(static_cast<std::uint64_t>(seed)));
  std::vector<std::uint64_t> executions;
  std::vector<double> seconds;
  int found = 0;
  for (const Cell& c : cells) {
    executions.push_back(c.found ? c.executions : UINT64_MAX);
    seconds.push_back(c.found ? c.seconds : 1e9);
    found += c.found ? 1 : 0;
  }
  std::sort(executions.begin(), executions.end());
  std::sort(seconds.begin(), seconds.end());
  Cell median;
  median.found = found > kSeeds / 2;
  median.executions = executions[kSeeds / 2];
  median.seconds = seconds[kSeeds / 2];
  if (found < kSeeds) median.note = fmt::format("{}/{} seeds", found, kSeeds);
  return median;
}

constexpr std::uint64_t kBudget = interleave::kDefaultBudget;

/// The CLI's default mix (run_scenario.cpp): dfs up to the budget; if that
/// does not cover the space, pct depth 3 and random walks, seed 1, half the
/// budget each. Adds to `cell`, whose clock started at `start`.
Cell default_mix(const harness::Program& program, harness::OutcomeKind kind, Cell cell = {},
                 Clock::time_point start = Clock::now()) {
  constexpr std::uint64_t budget = kBudget;
  harness::DfsStrategy dfs(harness::DfsSettings{std::nullopt, budget});
  Run run = run_until_bug(program, dfs, kind, cell, start);
  if (run == Run::kFound) {
    cell.note = "dfs";
    return cell;
  }
  if (run == Run::kExhausted) {
    cell.note = "space covered";
    return cell;
  }
  harness::PctStrategy pct(1, budget / 2, 3);
  run = run_until_bug(program, pct, kind, cell, start);
  if (run == Run::kFound) {
    cell.note = "pct";
    return cell;
  }
  harness::RandomWalkStrategy random(1, budget - budget / 2);
  run = run_until_bug(program, random, kind, cell, start);
  if (run == Run::kFound) cell.note = "random";
  return cell;
}

/// Proposed: delay bounds 0, 1, 2, each whole, within a tenth of the
/// budget; then the default mix.
Cell delay_first_mix(const harness::Program& program, harness::OutcomeKind kind) {
  Cell cell;
  const auto start = Clock::now();
  for (std::uint32_t bound = 0; bound <= 2 && cell.executions < kBudget / 10; ++bound) {
    harness::DelayBoundStrategy delay(harness::DelayBoundSettings{bound, kBudget / 10 - cell.executions});
    const Run run = run_until_bug(program, delay, kind, cell, start);
    if (run == Run::kFound) {
      cell.note = fmt::format("D={}", bound);
      return cell;
    }
    if (run != Run::kExhausted) break;
  }
  return default_mix(program, kind, cell, start);
}

std::string grouped(std::uint64_t n) { return interleave::grouped(n); }

std::string shown(const Cell& cell) {
  if (!cell.found) {
    const std::string why = cell.note.empty() ? "" : ", " + cell.note;
    return fmt::format("not found ({} in {:.1f} s{})", grouped(cell.executions), cell.seconds, why);
  }
  const std::string time = cell.seconds < 0.01 ? "<0.01 s" : fmt::format("{:.2f} s", cell.seconds);
  return fmt::format("{} · {}{}", grouped(cell.executions), time, cell.note.empty() ? "" : " (" + cell.note + ")");
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> only(argv + 1, argv + argc);
  std::printf("executions · wall time until the first execution that hits the bug; cap %s executions or %.0f s per "
              "cell; iterative bounds: P= preemptions, D= delays of the bound that found it; random and pct: median "
              "of %d seeds\n\n",
              grouped(kMaxExecutions).c_str(), kMaxSeconds, kSeeds);
  std::printf("| program | dfs, iterative preemption bound | delay bound, iterative | random | pct d=3 | dfs+dpor | "
              "stateful dfs | default mix | delay 0-2, then default mix |\n|---|---|---|---|---|---|---|---|---|\n");
  for (const sctbench::Port& port : sctbench::ports()) {
    if (!only.empty() && std::find(only.begin(), only.end(), port.name) == only.end()) continue;
    const harness::Program& program = port.buggy;
    const Cell pb = iterative(program, port.kind, 'P', [](std::uint32_t bound, std::uint64_t cap) {
      return std::make_unique<harness::DfsStrategy>(harness::DfsSettings{bound, cap});
    });
    const Cell db = iterative(program, port.kind, 'D', [](std::uint32_t bound, std::uint64_t cap) {
      return std::make_unique<harness::DelayBoundStrategy>(harness::DelayBoundSettings{bound, cap});
    });
    const Cell random = median_of_seeds([&](std::uint64_t seed) {
      harness::RandomWalkStrategy strategy(seed, kMaxExecutions);
      return once(program, port.kind, strategy);
    });
    const Cell pct = median_of_seeds([&](std::uint64_t seed) {
      harness::PctStrategy strategy(seed, kMaxExecutions, 3);
      return once(program, port.kind, strategy);
    });
    harness::DporStrategy dpor_strategy(harness::DporSettings{std::nullopt, kMaxExecutions});
    const Cell dpor = once(program, port.kind, dpor_strategy);
    harness::DfsStrategy inner_dfs(harness::DfsSettings{std::nullopt, kMaxExecutions});
    harness::StatefulStrategy stateful_strategy(inner_dfs);
    std::string stateful_cell = "n/a (plain shared memory)";
    if (port.state_in_objects) {
      Cell stateful = once(program, port.kind, stateful_strategy, true);
      if (stateful_strategy.unknown_states() > 0) stateful.note = "state unknown: " + stateful_strategy.untracked_reason();
      stateful_cell = shown(stateful);
    }
    const Cell mix = default_mix(program, port.kind);
    const Cell proposed = delay_first_mix(program, port.kind);
    std::printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", port.name.c_str(), shown(pb).c_str(),
                shown(db).c_str(), shown(random).c_str(), shown(pct).c_str(), shown(dpor).c_str(),
                stateful_cell.c_str(), shown(mix).c_str(), shown(proposed).c_str());
    std::fflush(stdout);
  }
  return 0;
}
