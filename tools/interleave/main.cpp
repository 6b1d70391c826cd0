// interleave: explore race stories told as scenario files, replay and read
// the traces of failing schedules, and keep them as regression tests.
// CLI11 wiring only; each subcommand lives in its own file.
#include <charconv>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "harness/log.hpp"
#include "harness/trace/atomic_file.hpp"
#include "harness/trace/text_escape.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/duration.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/explore_plan.hpp"
#include "tools/interleave/interrupt.hpp"

namespace {

constexpr const char* kExitCodesHelp =
    "Exit codes: 0 every expectation held (replay: the trace was reproduced; a shard or a partial merge: none "
    "failed, none judged), 1 an expectation failed, 2 bad input (a scenario, trace, report, option or file named "
    "is wrong: said as file:line:col where it can be), 3 a replay did not reproduce its trace, 4 a file could not "
    "be read or written (the system's reason is given; the report was still printed), 70 a fiber of the code "
    "under test overflowed its stack, 130 interrupted by Ctrl-C, 143 by SIGTERM, 129 by SIGHUP (128 + the signal: "
    "the report so far was printed and the traces found were saved).";

/// A whole number in [low, high], written as plain decimal digits: CLI11
/// would take "-1" for an unsigned option (as 2^64 - 1).
std::uint64_t parse_number(const std::string& option, const std::string& text, std::uint64_t low, std::uint64_t high) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value < low || value > high)
    throw CLI::ValidationError(option, fmt::format("expected a whole number from {} to {}, found '{}'", low, high,
                                                   harness::trace_text::shown(text)));
  return value;
}

template <typename T>
void assign(T& target, std::uint64_t value) {
  target = static_cast<T>(value);
}
template <typename T>
void assign(std::optional<T>& target, std::uint64_t value) {
  target = static_cast<T>(value);
}

/// --NAME N, a whole number in [low, high] (which must fit the target's type).
template <typename T>
CLI::Option* add_number(CLI::App& app, const std::string& names, T& target, std::uint64_t low, std::uint64_t high,
                        const std::string& help) {
  const std::size_t comma = names.rfind(',');
  const std::string name = comma == std::string::npos ? names : names.substr(comma + 1);
  return app
      .add_option_function<std::string>(
          names, [&target, name, low, high](const std::string& text) { assign(target, parse_number(name, text, low, high)); },
          fmt::format("{} ({} to {})", help, low, high))
      ->type_name("N");
}

/// Parses "K/N" (0 <= K < N) for --shard.
std::string parse_shard(const std::string& text, interleave::ExploreOverrides& o) {
  const std::size_t slash = text.find('/');
  auto whole = [](std::string_view digits) -> std::optional<std::uint64_t> {
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size()) return std::nullopt;
    return value;
  };
  const std::optional<std::uint64_t> index = slash == std::string::npos ? std::nullopt : whole(std::string_view(text).substr(0, slash));
  const std::optional<std::uint64_t> count = slash == std::string::npos ? std::nullopt : whole(std::string_view(text).substr(slash + 1));
  if (!index || !count || *count == 0 || *index >= *count || *count > 1000000)
    return fmt::format("--shard wants K/N with 0 <= K < N <= 1000000 (for example 0/4), not '{}'",
                       harness::trace_text::shown(text));
  o.shard = harness::Shard{static_cast<std::uint32_t>(*index), static_cast<std::uint32_t>(*count), 0, 1};
  return {};
}

void add_explore_options(CLI::App& app, interleave::ExploreOverrides& o) {
  app.add_option("--strategy", o.strategy,
                 "dfs, random, pct or delay (default: the scenario's, else dfs when the space fits the budget, "
                 "else pct depth 3 + random)")
      ->check(CLI::IsMember({"dfs", "random", "pct", "delay"}));
  add_number(app, "--seed", o.seed, 0, UINT64_MAX, "seed for random and pct (default 1)");
  add_number(app, "--executions", o.executions, 1, std::uint64_t{1} << 40,
             fmt::format("budget of executions (default {})", interleave::kDefaultBudget));
  add_number(app, "--preemption-bound", o.preemption_bound, 0, 1000, "dfs: at most this many preemptions per schedule");
  app.add_flag("--dpor", o.dpor,
               "dfs with dynamic partial-order reduction (source-DPOR + sleep sets; with --preemption-bound, "
               "bounded POR without sleep sets): fewer executions, the same outcome classes");
  app.add_flag("--stateful", o.stateful,
               "dfs that explores each program state once: a run reaching a state already explored from "
               "another branch stops there (the same outcome classes, far fewer executions; unbounded dfs on one "
               "thread, without --dpor, --races or a preemption bound)");
  add_number(app, "--depth", o.depth, 1, 64, "pct: bug depth d (default 3)");
  add_number(app, "--delay-bound", o.delay_bound, 0, 1000,
             "delay: every schedule of round robin with at most this many delays (default 2)");
  add_number(app, "-j,--jobs", o.threads, 1, 256, "explore on this many threads; the report and traces do not depend on it");
  app.add_option_function<std::string>(
         "--shard",
         [&o](const std::string& text) {
           if (std::string problem = parse_shard(text, o); !problem.empty()) throw CLI::ValidationError(problem);
         },
         "explore only shard K of N (0-based): N processes with K = 0..N-1 cover the space exactly once; "
         "combine their --json reports with 'interleave merge'")
      ->type_name("K/N");
  add_number(app, "--max-steps", o.max_steps, 1, interleave::kMaxMaxSteps,
             fmt::format("steps after which an execution counts as a livelock; it also bounds the scenario's own "
                         "loops and memory (default {})",
                         interleave::kDefaultMaxSteps));
}

/// Options that would have no effect together are refused rather than
/// silently ignored. Returns the complaint, or "".
/// Checked before any scenario is read (each scenario's [explore] table is
/// checked again with it when it runs: interleave::resolve_plan).
std::string conflicting_run_options(const interleave::ExploreOverrides& o, bool save_traces, bool html) {
  const auto plan = interleave::resolve_plan(o, interleave::ExploreDefaults{});
  if (const auto* problem = std::get_if<std::string>(&plan)) return *problem;
  if (o.shrink && !save_traces) return "--shrink shrinks the traces that --save-traces saves: give --save-traces DIR";
  if (html && !save_traces) return "--html renders the traces that --save-traces saves: give --save-traces DIR";
  return {};
}

/// --time-limit DURATION: parsed at once, so a bad value is refused (exit 2)
/// before any work.
CLI::Option* add_time_limit(CLI::App& app, std::optional<std::chrono::milliseconds>& target, const std::string& what) {
  return app
      .add_option_function<std::string>(
          "--time-limit",
          [&target](const std::string& text) {
            auto parsed = interleave::parse_duration(text);
            if (auto* problem = std::get_if<std::string>(&parsed)) throw CLI::ValidationError("--time-limit", *problem);
            target = std::get<std::chrono::milliseconds>(parsed);
          },
          fmt::format("stop {} after this long (90s, 15m, 1h, 500ms, 1h30m) and write what was found: the report "
                      "(which says the time limit ran out, and judges each scenario on what it explored), the traces, "
                      "the JSON report; for CI, set it below the job's timeout",
                      what))
      ->type_name("DURATION");
}

constexpr const char* kAllowOutsideHelp =
    "read the scenario a trace names even if its path (resolved against the trace's folder, symlinks followed) "
    "leads outside the current directory; without it such a trace is refused (exit 2), so that a trace from "
    "elsewhere cannot make interleave read any file on the machine";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{fmt::format("interleave: a record/replay deterministic concurrency test harness.\n"
                           "Explores the schedules of race stories told as scenario files, reports every outcome "
                           "reached, and saves traces that replay byte for byte.\n{}",
                           kExitCodesHelp)};
  app.require_subcommand(1);
  std::string log_level = "off";
  app.add_option("--log-level", log_level, fmt::format("log level: {}", harness::kLogLevels))->capture_default_str();

  interleave::ExploreOverrides run_overrides;
  std::vector<std::string> run_paths;
  std::optional<std::string> save_traces;
  CLI::App* run = app.add_subcommand("run", "explore scenario files (default: the scenarios/ folder) and report "
                                            "every outcome class reached");
  run->add_option("paths", run_paths, "scenario files, or folders of them (subfolders too, in sorted order)");
  add_explore_options(*run, run_overrides);
  run->add_option("--save-traces", save_traces, "save the first trace of each failing outcome class in this folder");
  std::optional<std::string> run_html;
  run->add_option("--html", run_html,
                  "after the run, write one HTML timeline page (NAME.html) in this folder for every trace in the "
                  "--save-traces folder");
  std::optional<std::string> run_json;
  run->add_option("--json", run_json, "also write a JSON report to this file ('-' for standard output)");
  run->add_flag("--shrink", run_overrides.shrink,
                "shrink each saved trace first: fewest preemptions, then fewest steps, same outcome");
  std::optional<std::chrono::milliseconds> time_limit;
  add_time_limit(*run, time_limit, "exploring");
  bool progress_in_log = false;
  run->add_flag("--progress", progress_in_log,
                "when stderr is not a terminal (a CI log), print a plain progress line every 10 seconds: "
                "executions, rate, failing executions, outcome classes, time elapsed (on a terminal a progress "
                "line is always shown)");
  run->add_flag("--races", run_overrides.races,
                "detect data races as Go's -race does, but on every schedule explored: two accesses to a map (one "
                "a write) by goroutines that nothing orders (a lock, a channel, a WaitGroup, an atomic, go); a run "
                "that would pass ends as 'race' (also [explore] races = true, and on whenever the expectations name "
                "'race')");
  bool stats = false;
  run->add_flag("--stats", stats,
                "under each scenario, per outcome class its share of the executions, the first execution that "
                "reached it and the strategy that found it, and the scenario's wall time and executions per second "
                "(also in --json as \"statistics\"); times differ from run to run, so without it the reports do not "
                "carry any");
  run->footer(kExitCodesHelp);

  interleave::ExploreOverrides points_overrides;
  std::string points_path;
  CLI::App* points = app.add_subcommand(
      "points", "list every preemption point a scenario's goroutines reach, over every schedule dfs explores");
  points->add_option("scenario", points_path, "a scenario file")->required();
  points->add_option("--executions", points_overrides.executions,
                     fmt::format("budget of dfs executions (default {})", interleave::kDefaultBudget))
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  points->add_option("--preemption-bound", points_overrides.preemption_bound,
                     "at most this many preemptions per schedule");
  points->add_flag("--dpor", points_overrides.dpor,
                   "dfs with partial-order reduction: one schedule per Mazurkiewicz trace, the same points");
  points->add_option("--max-steps", points_overrides.max_steps,
                     fmt::format("steps after which an execution counts as a livelock (default {})",
                                 interleave::kDefaultMaxSteps))
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));

  std::string replay_path;
  bool check = false;
  CLI::App* replay = app.add_subcommand("replay", "re-run a trace, print its timeline, confirm its outcome and bytes");
  replay->add_option("trace", replay_path, "a trace file")->required();
  replay->add_flag("--check", check, "exit 3 unless the replay writes the trace's bytes exactly");
  bool replay_steps = false;
  replay->add_flag("--steps", replay_steps, "show each operation's internal steps under it");
  bool replay_outside = false;
  replay->add_flag("--allow-outside", replay_outside, kAllowOutsideHelp);
  replay->footer(kExitCodesHelp);

  std::vector<std::string> merge_paths;
  std::optional<std::string> merge_json;
  CLI::App* merge = app.add_subcommand("merge", "combine the --json reports of 'run --shard K/N' into the report of "
                                                "the unsharded run, and judge the expectations on it");
  merge->add_option("reports", merge_paths, "JSON reports of the shards")->required();
  merge->add_option("--json", merge_json, "write the merged JSON report here ('-' for standard output)");
  bool partial = false;
  merge->add_flag("--partial", partial,
                  "merge a subset of the shards: judges no expectation and claims no exhausted space (without it, "
                  "every shard's report must be given, each once)");
  merge->footer(kExitCodesHelp);

  std::string shrink_path;
  std::optional<std::string> shrink_output;
  std::uint64_t shrink_budget = 100000;
  CLI::App* shrink = app.add_subcommand(
      "shrink", "find a schedule with the same outcome and fewer preemptions, then fewer steps; save it as a trace");
  shrink->add_option("trace", shrink_path, "a failing trace file")->required();
  shrink->add_option("-o,--output", shrink_output, "where to save the shrunk trace (default: TRACE's name + .shrunk)");
  bool keep_operations = false;
  shrink->add_flag("--keep-operations", keep_operations,
                   "only shrink the schedule; by default goroutine operations are removed too, while the outcome "
                   "stays reachable, and the smaller scenario is saved beside the trace");
  add_number(*shrink, "--executions", shrink_budget, 1, std::uint64_t{1} << 40,
             "budget of executions per preemption bound (default 100000)");
  bool shrink_outside = false;
  shrink->add_flag("--allow-outside", shrink_outside, kAllowOutsideHelp);
  shrink->footer(kExitCodesHelp);

  std::string show_path;
  CLI::App* show = app.add_subcommand("show", "print a trace's timeline without re-running it");
  show->add_option("trace", show_path, "a trace file")->required();
  bool show_steps = false;
  show->add_flag("--steps", show_steps, "show each operation's internal steps under it");
  std::optional<std::string> show_html;
  show->add_option("--html", show_html, "also write the timeline as one self-contained HTML page here");

  std::vector<std::string> regress_dirs;
  std::optional<std::string> junit;
  interleave::RegressOptions regress_options;
  CLI::App* regress = app.add_subcommand(
      "regress", "for CI: replay every trace against its current scenario and run every scenario under the folders "
                 "(default: traces/ and scenarios/). A trace must reproduce byte for byte, or, once marked with "
                 "'interleave trace mark-fixed', its schedule must end without the failure (and so must the "
                 "schedules around it); each scenario's expectations must hold");
  regress->add_option("dirs", regress_dirs, "folders of traces and scenarios");
  regress->add_option("--junit", junit, "write a JUnit XML report here (with each case's time)");
  regress->add_flag("--allow-outside", regress_options.allow_outside, kAllowOutsideHelp);
  add_number(*regress, "--fixed-budget", regress_options.fixed_budget, 0, std::uint64_t{1} << 40,
             "executions of the dfs that checks a fixed trace's scenario around its schedule, with the trace's "
             "number of preemptions as the bound; a failure found is saved beside the trace as "
             "NAME.after-fix.KIND.trace (default 2000; 0: replay the schedule only)");
  add_time_limit(*regress, time_limit, "running scenarios");
  regress->footer(kExitCodesHelp);

  std::vector<std::string> trace_paths;
  bool trace_outside = false;
  CLI::App* trace_command = app.add_subcommand("trace", "edit a trace's header, never its schedule (atomic rewrites)");
  trace_command->require_subcommand(1);
  CLI::App* mark_fixed = trace_command->add_subcommand(
      "mark-fixed", "the bug a trace found was fixed: 'interleave regress' now expects its schedule to end without "
                    "the failure, and explores the scenario around it");
  mark_fixed->add_option("traces", trace_paths, "trace files")->required();
  CLI::App* mark_reproduces = trace_command->add_subcommand(
      "mark-reproduces", "undo mark-fixed: 'interleave regress' expects the trace to replay byte for byte");
  mark_reproduces->add_option("traces", trace_paths, "trace files")->required();
  CLI::App* upgrade = trace_command->add_subcommand(
      "upgrade", "rewrite traces of an older format version in the current one, once each is checked to replay its "
                 "schedule, steps and outcome against its scenario");
  upgrade->add_option("traces", trace_paths, "trace files")->required();
  upgrade->add_flag("--allow-outside", trace_outside, kAllowOutsideHelp);
  trace_command->footer(kExitCodesHelp);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::cerr << "interleave: " << error.what() << "\nRun 'interleave --help' for usage.\n";
    return interleave::kExitBadInput;
  }
  if (!harness::configure_logging(log_level)) {
    std::cerr << fmt::format("interleave: unknown --log-level '{}': expected one of {}\n", log_level, harness::kLogLevels);
    return interleave::kExitBadInput;
  }
  if (*run) {
    if (const std::string problem = conflicting_run_options(run_overrides, save_traces.has_value(), run_html.has_value()); !problem.empty()) {
      std::cerr << "interleave: run: " << problem << "\nRun 'interleave run --help' for usage.\n";
      return interleave::kExitBadInput;
    }
  }
  // The long-running commands stop cleanly on SIGINT, SIGTERM and SIGHUP
  // (interrupt.hpp); the others end as the signal says.
  const bool stoppable = *run || *regress || *shrink;
  if (stoppable) interleave::install_interrupt_handler();
  if (*shrink) interleave::quit_at_first_signal();  // it has no exploration to stop first
  std::optional<interleave::TimeLimit> timer;
  if (time_limit) timer.emplace(*time_limit);
  int code = interleave::kExitBadInput;
  try {
    if (*run) {
      code = interleave::cmd_run(run_paths, run_overrides, save_traces, run_json, progress_in_log, stats);
      if (run_html && code != interleave::kExitBadInput && code != interleave::kExitIoError) {
        const int html_code = interleave::write_html_pages(*save_traces, *run_html);
        if (html_code != interleave::kExitHeld) code = html_code;
      }
    }
    else if (*merge) code = interleave::cmd_merge(merge_paths, merge_json, partial);
    else if (*points) code = interleave::cmd_points(points_path, points_overrides);
    else if (*replay) code = interleave::cmd_replay(replay_path, check, replay_outside, std::cout, std::cerr, replay_steps);
    else if (*show) code = interleave::cmd_show(show_path, show_steps, show_html);
    else if (*shrink)
      code = interleave::cmd_shrink(shrink_path, shrink_output, shrink_budget, keep_operations, shrink_outside);
    else if (*regress) code = interleave::cmd_regress(regress_dirs, junit, regress_options);
    else if (*mark_fixed) code = interleave::cmd_trace_mark(trace_paths, harness::TraceExpectation::kFixed);
    else if (*mark_reproduces) code = interleave::cmd_trace_mark(trace_paths, harness::TraceExpectation::kReproduces);
    else if (*upgrade) code = interleave::cmd_trace_upgrade(trace_paths, trace_outside);
  } catch (const harness::FileRefused& error) {
    std::cout.flush();
    std::cerr << "interleave: " << error.what() << "\n";
    return interleave::kExitBadInput;
  } catch (const harness::IoError& error) {
    std::cout.flush();
    std::cerr << "interleave: " << error.what() << "\n";
    return interleave::kExitIoError;
  } catch (const std::exception& error) {
    std::cerr << "interleave: " << error.what() << "\n";
    return interleave::kExitFailed;
  }
  // The report itself is output too: a full disk or a closed pipe is an I/O failure.
  if (!std::cout.flush()) {
    std::cerr << "interleave: could not write standard output\n";
    return interleave::kExitIoError;
  }
  // Stopped by a signal: 128 + its number, unless a file could not be written.
  if (stoppable && interleave::stop_signal() != 0 && code != interleave::kExitIoError)
    return interleave::interrupted_exit_code();
  return code;
}
