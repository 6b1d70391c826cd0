#include "tools/interleave/run_scenario.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include <fmt/format.h>

#include "harness/parallel.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/trace/atomic_file.hpp"
#include "harness/trace/trace.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/interrupt.hpp"
#include "tools/interleave/shrink.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {

std::string grouped(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void stamp_scenario(harness::Trace& trace, const Scenario& scenario) {
  trace.provenance.emplace_back("scenario", scenario.path);
  trace.provenance.emplace_back("scenario-hash", scenario.content_hash);
}

void save_scenario_trace(const std::string& path, harness::Trace trace) {
  namespace fs = std::filesystem;
  for (auto& [key, value] : trace.provenance) {
    if (key != "scenario") continue;
    // fs::relative follows symlinks on both sides, as the system will when
    // the replay joins the trace's folder and this path.
    std::error_code error;
    const fs::path folder = fs::absolute(fs::path(path)).parent_path();
    const fs::path relative = fs::relative(fs::absolute(value), folder, error);
    if (!error && !relative.empty()) value = relative.string();
    else value = fs::absolute(value).lexically_normal().string();
  }
  harness::save_trace(path, trace);
}

namespace {

/// Appends the report of the next strategy of the portfolio (dfs, then pct,
/// then random): counts add up and a class keeps the trace of the strategy
/// that ran first. Not harness::merge_reports, which merges shards of one
/// strategy by order key: keys of different strategies do not compare.
void append_portfolio_run(harness::Report& into, harness::Report&& more) {
  std::map<harness::Outcome, harness::OutcomeClass> classes;
  for (auto& c : into.classes) classes.emplace(c.outcome, std::move(c));
  for (auto& c : more.classes) {
    auto [it, inserted] = classes.try_emplace(c.outcome, c);
    if (!inserted) it->second.count += c.count;
  }
  into.classes.clear();
  for (auto& [outcome, c] : classes) into.classes.push_back(std::move(c));
  into.executions += more.executions;
  into.pruned += more.pruned;
  into.exhausted = false;
}

}  // namespace

ScenarioRun run_scenario(const Scenario& scenario, const ExploreOverrides& overrides,
                         const std::optional<std::string>& traces_dir, bool show_progress) {
  const ExploreDefaults& defaults = scenario.explore;
  const std::optional<std::string> strategy = overrides.strategy ? overrides.strategy : defaults.strategy;
  const std::uint64_t seed = overrides.seed.value_or(defaults.seed.value_or(1));
  const std::uint64_t budget = overrides.executions.value_or(defaults.executions.value_or(kDefaultBudget));
  const std::optional<std::uint32_t> bound =
      overrides.preemption_bound ? overrides.preemption_bound : defaults.preemption_bound;
  const std::uint32_t depth = overrides.depth.value_or(defaults.depth.value_or(3));
  // Partial-order reduction cannot be split into shards (see below).
  const bool sharded = overrides.shard && overrides.shard->count > 1;
  const bool dpor = (overrides.dpor || defaults.dpor.value_or(false)) && !sharded;
  harness::ExploreSettings settings;
  settings.max_steps = overrides.max_steps.value_or(defaults.max_steps.value_or(kDefaultMaxSteps));
  settings.stop = &interrupt_requested();
  if (show_progress) {
    // Wall-clock time is for this display only; nothing recorded depends on it.
    const auto start = std::chrono::steady_clock::now();
    const bool budget_known = strategy == "random" || strategy == "pct";
    settings.progress = [&scenario, start, budget_known, budget](const harness::Progress& p) {
      const double seconds =
          std::max(1e-3, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
      const double rate = static_cast<double>(p.executions) / seconds;
      std::string eta;
      if (budget_known && rate > 0 && p.executions < budget)
        eta = fmt::format(", ETA {:.0f} s", static_cast<double>(budget - p.executions) / rate);
      std::cerr << fmt::format("\r\033[K  {}: {} executions ({}/s), {} failing, {} outcome classes{}", scenario.name,
                               grouped(p.executions), grouped(static_cast<std::uint64_t>(rate)), grouped(p.failures),
                               p.classes, eta)
                << std::flush;
    };
  }

  const harness::Program program = make_program(scenario, settings.max_steps);
  ScenarioRun run;
  const harness::Shard shard = overrides.shard.value_or(harness::Shard{});
  const std::uint32_t threads = std::max<std::uint32_t>(overrides.threads, 1);
  // Every strategy but dpor splits into shards and threads. random and pct
  // number their executions globally, so any split runs the same ones; dfs
  // applies its cap on each thread, so a split can only go further: the
  // report is the same whenever the space fits the cap.
  auto explore_with = [&](const harness::StrategyFactory& make) {
    return harness::explore_parallel(program, make, shard, threads, settings);
  };
  const std::uint64_t dfs_cap = budget;

  if (strategy == "random") {
    run.report = explore_with([&](harness::Shard s) { return std::make_unique<harness::RandomWalkStrategy>(seed, budget, s); });
    run.strategy_summary = fmt::format("random, seed {}", seed);
  } else if (strategy == "pct") {
    run.report = explore_with([&](harness::Shard s) { return std::make_unique<harness::PctStrategy>(seed, budget, depth, s); });
    run.strategy_summary = fmt::format("pct, depth {}, seed {}", depth, seed);
  } else {
    // dfs, named or by default. By default, a space too big for the budget
    // falls back to a portfolio of pct (d=3) and random walks.
    if (dpor) {
      // Partial-order reduction shares its backtrack sets across the whole
      // tree: it explores on one engine, unsharded.
      harness::StackPool stacks;
      harness::DporStrategy reduced(harness::DporSettings{bound, budget});
      run.report = harness::explore(program, reduced, stacks, settings);
    } else {
      run.report = explore_with([&](harness::Shard s) {
        return std::make_unique<harness::DfsStrategy>(harness::DfsSettings{bound, dfs_cap, s});
      });
    }
    const std::string bound_text = bound ? fmt::format(", preemption bound {}", *bound) : "";
    run.strategy_summary = fmt::format("dfs{}{}{}", dpor ? " + dpor" : "", bound_text,
                                       run.report.exhausted ? " (exhausted)" : " (not exhausted)");
    if (run.report.pruned > 0)
      run.strategy_summary += fmt::format("; {} sleep-set-blocked runs pruned", grouped(run.report.pruned));
    if (!strategy && !run.report.exhausted && !run.report.interrupted) {
      append_portfolio_run(run.report, explore_with([&](harness::Shard s) {
              return std::make_unique<harness::PctStrategy>(seed, budget / 2, 3, s);
            }));
      if (!interrupt_requested())
        append_portfolio_run(run.report, explore_with([&](harness::Shard s) {
                return std::make_unique<harness::RandomWalkStrategy>(seed, budget - budget / 2, s);
              }));
      run.report.interrupted = interrupt_requested();
      run.strategy_summary += fmt::format(" + pct depth 3 + random, seed {}", seed);
    }
  }
  if (shard.count > 1) run.strategy_summary += fmt::format("; shard {}/{}", shard.index, shard.count);
  if (show_progress) std::cerr << "\r\033[K" << std::flush;

  for (auto& c : run.report.classes)
    if (!c.outcome.ok()) stamp_scenario(c.first_trace, scenario);
  if (shard.count > 1) {
    // A shard sees part of the space: only the merged report can be judged.
    run.verdict.caveats.push_back("not judged on a shard: run 'interleave merge' on every shard's --json report");
  } else {
    run.verdict = judge(scenario.expect, run.report);
  }

  if (traces_dir) {
    check_output_folder(*traces_dir);
    std::error_code error;
    std::filesystem::create_directories(*traces_dir, error);
    if (error) throw harness::FileIoError(fmt::format("could not create folder {}: {}", *traces_dir, error.message()));
    std::map<std::string, int> per_kind;
    for (const auto& c : run.report.classes) {
      if (c.outcome.ok()) continue;
      const std::string kind(harness::to_string(c.outcome.kind));
      const int n = ++per_kind[kind];
      const std::string file = n == 1 ? fmt::format("{}.{}.trace", scenario.name, kind)
                                      : fmt::format("{}.{}-{}.trace", scenario.name, kind, n);
      const std::string path = (std::filesystem::path(*traces_dir) / file).string();
      SavedTrace saved{c.outcome, path, {}};
      if (overrides.shrink) {
        const ShrinkResult shrunk = shrink_trace(scenario, c.first_trace, budget);
        save_scenario_trace(path, shrunk.trace);
        saved.shrink_note =
            shrunk.before.preemptions == shrunk.after.preemptions && shrunk.before.steps == shrunk.after.steps
                ? fmt::format("already minimal: {} preemptions, {} steps", shrunk.after.preemptions, shrunk.after.steps)
                : fmt::format("shrunk from {} preemptions, {} steps to {} preemptions, {} steps",
                              shrunk.before.preemptions, shrunk.before.steps, shrunk.after.preemptions,
                              shrunk.after.steps);
      } else {
        save_scenario_trace(path, c.first_trace);
      }
      run.traces.push_back(std::move(saved));
    }
  }
  return run;
}

}  // namespace interleave
