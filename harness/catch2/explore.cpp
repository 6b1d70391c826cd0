#include "harness/catch2/explore.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string_view>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "harness/alarm.hpp"
#include "harness/shrink/schedule_shrinker.hpp"
#include "harness/catch2/result_capture.hpp"
#include "harness/fiber/stack_pool.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "harness/trace/timeline.hpp"
#include "harness/trace/trace.hpp"

namespace harness::catch2 {
namespace {

std::unique_ptr<Strategy> make_strategy(const Options& options) {
  switch (options.strategy) {
    case Options::Strategy::kDfs:
      return std::make_unique<DfsStrategy>(DfsSettings{options.preemption_bound, options.executions});
    case Options::Strategy::kDpor:
      return std::make_unique<DporStrategy>(DporSettings{options.preemption_bound, options.executions});
    case Options::Strategy::kRandom:
      return std::make_unique<RandomWalkStrategy>(options.seed, options.executions);
    case Options::Strategy::kPct:
      return std::make_unique<PctStrategy>(options.seed, options.executions, 3);
  }
  return nullptr;
}

std::string_view strategy_name(const Options& options) {
  switch (options.strategy) {
    case Options::Strategy::kDfs: return "dfs";
    case Options::Strategy::kDpor: return "dfs with partial-order reduction";
    case Options::Strategy::kRandom: return "random walks";
    case Options::Strategy::kPct: return "pct";
  }
  return "?";
}

/// `trace` shrunk by the engine's shrinker (harness/shrink): the fewest
/// preemptions, then the fewest steps, that reach its outcome (each search
/// capped at 20,000 executions, 80,000 in all), recorded with the trace's
/// own provenance.
Trace shrunk(const Program& program, const Trace& trace, std::uint64_t max_steps) {
  return shrink::shrink_schedule(program, trace, shrink::ShrinkLimits{20000, 80000}, max_steps, trace.provenance);
}

/// A file name from a test's name: letters, digits, '-' and '_'.
std::string file_stem(std::string_view name) {
  std::string stem;
  for (const char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    if (plain) stem += c;
    else if (!stem.empty() && stem.back() != '_') stem += '_';
    if (stem.size() >= 80) break;
  }
  while (!stem.empty() && stem.back() == '_') stem.pop_back();
  return stem.empty() ? "program" : stem;
}

/// Saves `trace` where INTERLEAVE_TRACE_DIR says; "" if not saved, with why.
std::string save(const Trace& trace, std::string& why_not) {
  const char* dir = std::getenv("INTERLEAVE_TRACE_DIR");
  const std::string folder = dir != nullptr && *dir != '\0' ? dir : "interleave-traces";
  if (folder == "-") return {};
  const std::string name = file_stem(Catch::getResultCapture().getCurrentTestName());
  const std::string path =
      (std::filesystem::path(folder) / fmt::format("{}.{}.trace", name, to_string(trace.outcome.kind))).string();
  try {
    std::filesystem::create_directories(folder);
    save_trace(path, trace);
  } catch (const std::exception& error) {
    why_not = error.what();
    return {};
  }
  return path;
}

std::string describe_failures(const Program& program, const Report& report, std::string_view how) {
  std::string text = fmt::format("interleave: '{}' failed in {} of {} executions ({}{}):\n", program.name,
                                 report.failures(), report.executions - report.pruned, how,
                                 !report.exhausted                                   ? ""
                                 : how.find("preemption bound") != std::string_view::npos ? ", every schedule within it"
                                                                                         : ", every schedule");
  for (const OutcomeClass& c : report.classes)
    if (!c.outcome.ok()) text += fmt::format("  {:>8}  {}\n", c.count, describe(c.outcome));
  return text;
}

}  // namespace

std::string base_name(const char* file) { return std::filesystem::path(file).filename().string(); }

Result explore_in_test(const Program& program, const Options& options) {
  Result result;
  StackPool stacks;
  const AssertionsAsOutcomes assertions;
  if (const char* replay_path = std::getenv("INTERLEAVE_REPLAY"); replay_path != nullptr && *replay_path != '\0') {
    result.how = fmt::format("replay of {}", replay_path);
    result.replayed = true;
    const Trace recorded = load_trace(replay_path);  // throws TraceError: Catch2 reports it
    const ReplayResult replayed = replay_trace(program, stacks, recorded, options.max_steps);
    result.report.program = program.name;
    result.report.executions = 1;
    result.report.classes.push_back(OutcomeClass{replayed.trace.outcome, 1, 0, {}, replayed.trace});
    if (!replayed.trace.outcome.ok()) result.first_failure = replayed.trace;
    return result;
  }
  result.how = std::string(strategy_name(options));
  if (options.preemption_bound && (options.strategy == Options::Strategy::kDfs ||
                                   options.strategy == Options::Strategy::kDpor))
    result.how += fmt::format(" with preemption bound {}", *options.preemption_bound);
  std::atomic<bool> stop{false};
  {
    const Alarm timer(options.time_budget, [&stop] { stop = true; });
    ExploreSettings settings;
    settings.max_steps = options.max_steps;
    settings.stop = &stop;
    settings.check_fresh_start = true;  // a C++ program may keep globals between executions
    if (options.stop_at)
      settings.on_execution = [&](const Strategy&, const Outcome& outcome) { return outcome.kind != *options.stop_at; };
    const std::unique_ptr<Strategy> strategy = make_strategy(options);
    result.report = explore(program, *strategy, stacks, settings);
  }
  result.time_ran_out = result.report.interrupted;
  // Classes are ordered by kind, then message: the first failing one, or
  // the first of the kind the exploration stopped at.
  const OutcomeClass* first = nullptr;
  for (const OutcomeClass& c : result.report.classes) {
    if (c.outcome.ok()) continue;
    if (first == nullptr || (options.stop_at && c.outcome.kind == *options.stop_at && first->outcome.kind != *options.stop_at))
      first = &c;
  }
  if (first != nullptr) result.first_failure = shrunk(program, first->first_trace, options.max_steps);
  return result;
}

std::string check_every_schedule(const Program& program, const Options& options, const char* file, unsigned line) {
  const Result result = explore_in_test(program, options);
  const std::string test = Catch::getResultCapture().getCurrentTestName();
  for (const std::string& warning : result.report.warnings) WARN("interleave: " << warning);
  std::string trace_path;
  std::string failures;
  if (result.first_failure) {
    const Trace& first = *result.first_failure;
    std::string why_not;
    if (!result.replayed) trace_path = save(first, why_not);  // a replay's trace is saved already
    // The timeline goes to standard error as it is: Catch2 wraps a failure's
    // message at 80 columns, which would break its columns.
    std::string shown = fmt::format("\ninterleave: test \"{}\": the schedule of '{}', with {} preemption{} and {} steps "
                                    "(shrunk):\n{}",
                                    test, describe(first.outcome), count_preemptions(first),
                                    count_preemptions(first) == 1 ? "" : "s", first.events.size(), render_timeline(first));
    if (result.replayed)
      shown += fmt::format("{}\n", result.how);
    else if (!trace_path.empty())
      shown += fmt::format("trace: {}\nreplay it: INTERLEAVE_REPLAY={} <this test binary> \"{}\"\n", trace_path,
                           trace_path, test);
    else if (!why_not.empty())
      shown += fmt::format("trace NOT saved: {}\n", why_not);
    std::cerr << shown << std::flush;
    failures = describe_failures(program, result.report, result.how) +
               "the schedule of the first, shrunk (fewest preemptions, then fewest steps), and its trace are on standard "
               "error";
  }
  const bool exhaustive = options.strategy == Options::Strategy::kDfs || options.strategy == Options::Strategy::kDpor;
  if (options.require_exhausted && exhaustive && !result.report.exhausted && !result.replayed)
    failures += fmt::format("{}interleave: '{}': not every schedule was explored ({} executions, {})",
                            failures.empty() ? "" : "\n", program.name, result.report.executions,
                            result.time_ran_out ? "the time budget ran out" : "the budget of executions ran out");
  if (!failures.empty()) {
    // FAIL_CHECK, located at the caller's line rather than this file's.
    Catch::AssertionHandler handler("check_every_schedule", Catch::SourceLineInfo(file, line),
                                    Catch::StringRef(), Catch::ResultDisposition::ContinueOnFailure);
    handler.handleMessage(Catch::ResultWas::ExplicitFailure, failures);
    handler.complete();
  }
  return trace_path;
}

}  // namespace harness::catch2
