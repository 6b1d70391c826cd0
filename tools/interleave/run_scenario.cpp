#include "tools/interleave/run_scenario.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include <fmt/format.h>

#include "harness/parallel.hpp"
#include "harness/strategy/delay_bound.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/stateful.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/trace/atomic_file.hpp"
#include "harness/trace/trace.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/explore_plan.hpp"
#include "tools/interleave/interrupt.hpp"
#include "tools/interleave/shrink.hpp"
#include "tools/scenario/canonical_hash.hpp"
#include "tools/scenario/patterns.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {

std::string grouped(std::uint64_t n) { return harness::shrink::grouped(n); }

void stamp_scenario(harness::Trace& trace, const Scenario& scenario) {
  trace.provenance.emplace_back("scenario", scenario.path);
  // Of the file's meaning, not its bytes (canonical_hash.hpp): a comment
  // or a reformatting does not make the trace one of another program.
  trace.provenance.emplace_back("scenario-hash", canonical_scenario_hash_of_file(scenario.path));
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
    c.first_execution += into.executions;  // numbered across the phases
    auto [it, inserted] = classes.try_emplace(c.outcome, c);
    if (!inserted) it->second.count += c.count;
  }
  into.classes.clear();
  for (auto& [outcome, c] : classes) into.classes.push_back(std::move(c));
  into.executions += more.executions;
  into.pruned += more.pruned;
  into.exhausted = false;
}

/// Puts `phase` (0 dfs, 1 pct, 2 random) in front of each class's order key:
/// the default mix meets the classes of dfs first, then pct's, then random's,
/// and a merge of shards must order them so.
harness::Report in_phase(harness::Report report, std::uint64_t phase) {
  for (auto& c : report.classes) c.first_key.insert(c.first_key.begin(), phase);
  return report;
}

/// [explore] races = true, or expectations that name the `race` outcome.
bool detects_races(const Scenario& scenario) {
  if (scenario.explore.races) return true;
  for (const auto* patterns : {&scenario.expect.reach, &scenario.expect.never})
    for (const std::string& pattern : *patterns)
      if (pattern_kind(pattern) == harness::OutcomeKind::kRace) return true;
  return false;
}

/// What a run that stopped early says of a trace it did not shrink.
std::string not_shrunk_note() {
  return stop_signal() == 0 && time_limit_reached() ? "not shrunk: the time limit ran out" : "not shrunk: interrupted";
}

/// What bounded the exploration, for the verdict to say why an expectation
/// was not established.
ExploreLimits explore_limits(const ExplorePlan& plan, const ScenarioRun& run) {
  ExploreLimits limits;
  if (run.time_limit) limits.stop = ExploreLimits::Stop::kTimeLimit;
  else if (run.report.interrupted) limits.stop = ExploreLimits::Stop::kInterrupted;
  if (plan.strategy == StrategyKind::kDelay) limits.delay_bound = plan.delay_bound;
  else if (plan.runs_dfs()) limits.preemption_bound = plan.preemption_bound;
  return limits;
}

/// The progress of a run in a log (stderr not a terminal): a plain line
/// every progress_log_period(), never redrawn. Its times are for people
/// watching a CI job; nothing recorded depends on them.
std::function<void(const harness::Progress&)> log_progress(const std::string& name) {
  const auto start = std::chrono::steady_clock::now();
  const auto period = progress_log_period();
  auto next = std::make_shared<std::chrono::steady_clock::time_point>(start + period);
  return [name, start, period, next](const harness::Progress& p) {
    const auto now = std::chrono::steady_clock::now();
    if (now < *next) return;
    *next = now + period;
    const double seconds = std::max(1e-3, std::chrono::duration<double>(now - start).count());
    std::cerr << fmt::format("interleave: {}: {} executions ({}/s), {} failing, {} outcome classes, {:.0f} s elapsed\n",
                             name, grouped(p.executions), grouped(static_cast<std::uint64_t>(p.executions / seconds)),
                             grouped(p.failures), p.classes, seconds)
              << std::flush;
  };
}

}  // namespace

std::chrono::milliseconds progress_log_period() {
  if (const char* text = std::getenv("INTERLEAVE_PROGRESS_PERIOD_MS"); text != nullptr) {
    std::uint64_t ms = 0;
    const char* end = text + std::strlen(text);
    const auto [ptr, ec] = std::from_chars(text, end, ms);
    if (ec == std::errc{} && ptr == end && ms > 0 && ms <= 3600000) return std::chrono::milliseconds(ms);
  }
  return std::chrono::seconds(10);
}

std::vector<std::string> trace_stems(const std::vector<std::string>& files) {
  namespace fs = std::filesystem;
  std::vector<std::string> stems;
  std::map<std::string, std::vector<std::size_t>> by_stem;
  for (std::size_t i = 0; i < files.size(); ++i) {
    stems.push_back(fs::path(files[i]).stem().string());
    by_stem[stems.back()].push_back(i);
  }
  for (const auto& entry : by_stem) {
    const std::string& stem = entry.first;  // (clang 14 cannot capture a structured binding)
    const std::vector<std::size_t>& group = entry.second;
    // The folders of each file, innermost first, from its absolute path: two
    // different files differ in some folder, or one has more of them.
    std::map<std::string, std::vector<std::string>> folders_of;
    for (std::size_t i : group) {
      const fs::path absolute = fs::weakly_canonical(fs::absolute(files[i]));
      std::vector<std::string> folders;
      for (fs::path p = absolute.parent_path(); p.has_relative_path(); p = p.parent_path())
        folders.push_back(p.filename().string());
      folders_of.emplace(absolute.string(), std::move(folders));
    }
    if (folders_of.size() < 2) continue;  // one file (maybe named twice): its stem is free
    std::size_t depth = 1;
    auto name = [&](const std::vector<std::string>& folders) {
      std::string text = stem;
      for (std::size_t k = 0; k < depth && k < folders.size(); ++k) text = folders[k] + "/" + text;
      return text;
    };
    for (;; ++depth) {
      std::set<std::string> names;
      for (const auto& [path, folders] : folders_of) names.insert(name(folders));
      if (names.size() == folders_of.size()) break;
    }
    for (std::size_t i : group)
      stems[i] = name(folders_of.at(fs::weakly_canonical(fs::absolute(files[i])).string()));
  }
  return stems;
}

ScenarioRun run_scenario(const Scenario& scenario, const ExploreOverrides& overrides,
                         const std::optional<std::string>& traces_dir, ProgressDisplay progress,
                         const std::string& trace_stem) {
  const auto run_start = std::chrono::steady_clock::now();
  const ExplorePlan plan = [&] {
    auto resolved = resolve_plan(overrides, scenario.explore);
    if (auto* problem = std::get_if<std::string>(&resolved)) throw BadPlan(*problem);
    return std::get<ExplorePlan>(resolved);
  }();
  const std::uint64_t seed = plan.seed;
  const std::uint64_t budget = plan.budget;
  const std::optional<std::uint32_t> bound = plan.preemption_bound;
  const std::uint32_t depth = plan.depth;
  const bool dpor = plan.dpor;
  harness::ExploreSettings settings;
  settings.max_steps = plan.max_steps;
  settings.stop = &interrupt_requested();
  settings.detect_races = overrides.races || detects_races(scenario);
  if (progress == ProgressDisplay::kTerminal) {
    // Wall-clock time is for this display only; nothing recorded depends on it.
    const auto start = std::chrono::steady_clock::now();
    const bool budget_known = plan.budget_known();
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
  } else if (progress == ProgressDisplay::kLog) {
    settings.progress = log_progress(scenario.name);
    settings.progress_every = 64;  // often enough to notice the period passing; the callback only reads the clock
  }

  const harness::Program program = make_program(scenario, settings.max_steps);
  ScenarioRun run;
  const harness::Shard shard = plan.shard;
  const std::uint32_t threads = plan.threads;
  // Every strategy but dpor splits into shards and threads, and no report
  // depends on the threads. random and pct number their executions
  // globally, so any split runs the same ones; dfs's threads are merged in
  // dfs order up to its cap (explore_parallel_capped). A shard's dfs runs up
  // to the cap of its own executions, so shards together can go further
  // than one run when the space does not fit the cap.
  auto explore_with = [&](const harness::StrategyFactory& make) {
    return harness::explore_parallel(program, make, shard, threads, settings);
  };
  const std::uint64_t dfs_cap = budget;

  run.strategy = plan.describe_first();
  if (plan.strategy == StrategyKind::kRandom) {
    run.report = explore_with([&] { return std::make_unique<harness::RandomWalkStrategy>(seed, budget); });
  } else if (plan.strategy == StrategyKind::kDelay) {
    const std::uint32_t delays = plan.delay_bound;
    run.report = harness::explore_parallel_capped(
        program,
        [&] {
          return std::make_unique<harness::DelayBoundStrategy>(harness::DelayBoundSettings{delays, budget});
        },
        shard, threads, budget, settings);
    run.exhaustive = true;
  } else if (plan.strategy == StrategyKind::kPct) {
    run.report = explore_with([&] { return std::make_unique<harness::PctStrategy>(seed, budget, depth); });
  } else {
    // dfs, named or by default. By default, a space too big for the budget
    // is then explored by a portfolio of pct (depth 3 unless --depth) and
    // random walks, with the budget again.
    if (plan.stateful && settings.detect_races)
      throw BadPlan("stateful search cannot be combined with race detection (the scenario asks for races with a "
                    "race pattern in reach or never): the detector's clocks are state it does not see");
    if (plan.stateful) {
      harness::StackPool stacks;
      harness::DfsStrategy dfs(harness::DfsSettings{std::nullopt, budget});
      harness::StatefulStrategy stateful(dfs);
      settings.track_state = true;
      run.report = harness::explore(program, stateful, stacks, settings);
      run.states = stateful.states();
      if (stateful.unknown_states() > 0)
        run.stateful_off = fmt::format("nothing pruned at {} choices: the state of {} is not known",
                                       grouped(stateful.unknown_states()), stateful.untracked_reason());
    } else if (dpor) {
      // Partial-order reduction shares its backtrack sets across the whole
      // tree: it explores on one engine, unsharded.
      harness::StackPool stacks;
      harness::DporStrategy reduced(harness::DporSettings{bound, budget});
      run.report = harness::explore(program, reduced, stacks, settings);
    } else {
      run.report = harness::explore_parallel_capped(
          program,
          [&] {
            return std::make_unique<harness::DfsStrategy>(harness::DfsSettings{bound, dfs_cap});
          },
          shard, threads, dfs_cap, settings);
    }
    run.exhaustive = true;
    if (plan.strategy == StrategyKind::kDefaultMix) {
      run.report = in_phase(std::move(run.report), 0);
      if (!run.report.exhausted && !run.report.interrupted) {
        append_portfolio_run(run.report, in_phase(explore_with([&] {
                                                    return std::make_unique<harness::PctStrategy>(seed, budget / 2,
                                                                                                   depth);
                                                  }),
                                                  1));
        if (!interrupt_requested())
          append_portfolio_run(run.report, in_phase(explore_with([&] {
                                                      return std::make_unique<harness::RandomWalkStrategy>(
                                                          seed, budget - budget / 2);
                                                    }),
                                                    2));
        run.report.interrupted = interrupt_requested();
        run.then = fmt::format("pct depth {} + random, seed {}", depth, seed);
      }
    }
  }
  if (progress == ProgressDisplay::kTerminal) std::cerr << "\r\033[K" << std::flush;
  run.time_limit = run.report.interrupted && stopped_by_time_limit();

  for (auto& c : run.report.classes)
    if (!c.outcome.ok()) stamp_scenario(c.first_trace, scenario);
  // A non-linearizable history: its first execution run again, to keep
  // the table the check made.
  for (const auto& c : run.report.classes) {
    if (c.outcome != harness::Outcome{harness::OutcomeKind::kWrongResult, kNotLinearizable}) continue;
    auto explanation = std::make_shared<std::string>();
    harness::StackPool stacks;
    harness::record_trace(make_program(scenario, settings.max_steps, explanation), stacks, c.first_trace.decisions, {},
                          settings.max_steps);
    if (!explanation->empty()) run.explanations.emplace(c.outcome, *explanation);
  }
  if (shard.count > 1) {
    // A shard sees part of the space: only the merged report can be judged.
    run.judged = false;
    run.verdict.caveats.push_back("a shard sees part of the space: run 'interleave merge' on every shard's --json report");
  } else {
    run.verdict = judge(scenario.expect, run.report, explore_limits(plan, run));
  }

  if (traces_dir) {
    const std::string stem = trace_stem.empty() ? scenario.name : trace_stem;
    check_output_folder(*traces_dir);
    std::map<std::string, int> per_kind;
    for (const auto& c : run.report.classes) {
      if (c.outcome.ok()) continue;
      const std::string kind(harness::to_string(c.outcome.kind));
      const int n = ++per_kind[kind];
      const std::string file = n == 1 ? fmt::format("{}.{}.trace", stem, kind) : fmt::format("{}.{}-{}.trace", stem, kind, n);
      const std::string path = (std::filesystem::path(*traces_dir) / file).string();
      SavedTrace saved{c.outcome, path, {}, {}};
      harness::Trace to_save = c.first_trace;
      if (overrides.shrink && quit_requested()) {
        saved.shrink_note = not_shrunk_note();
      } else if (overrides.shrink) {
        const ShrinkResult shrunk = shrink_trace(scenario, c.first_trace, budget);
        to_save = shrunk.trace;
        const char* maybe = shrunk.exhaustive ? "" : " (a search stopped on its budget: maybe not minimal)";
        saved.shrink_note =
            shrunk.interrupted ? not_shrunk_note()
            : shrunk.before.preemptions == shrunk.after.preemptions && shrunk.before.steps == shrunk.after.steps
                ? fmt::format("{}: {} preemptions, {} steps{}", shrunk.exhaustive ? "already minimal" : "not shrunk",
                              shrunk.after.preemptions, shrunk.after.steps, maybe)
                : fmt::format("shrunk from {} preemptions, {} steps to {} preemptions, {} steps{}",
                              shrunk.before.preemptions, shrunk.before.steps, shrunk.after.preemptions,
                              shrunk.after.steps, maybe);
      }
      // A trace that cannot be written is reported with the run (exit 4);
      // the other traces and the report still go out.
      try {
        harness::create_folders(std::filesystem::path(path).parent_path().string());
        save_scenario_trace(path, to_save);
      } catch (const harness::IoError& error) {
        saved.error = error.what();
      } catch (const harness::FileRefused& refused) {  // e.g. a folder where the trace goes
        saved.error = fmt::format("could not write {}: {}", refused.path(), refused.reason());
      }
      run.traces.push_back(std::move(saved));
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
  return run;
}

}  // namespace interleave
