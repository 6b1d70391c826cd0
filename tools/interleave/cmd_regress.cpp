// interleave regress: for CI. Every trace of the corpus is replayed against
// its current scenario and must do what it states it is expected to do
// (reproduce byte for byte, or, once marked fixed, no longer fail; a fixed
// one is also checked around its schedule); every scenario is run and its
// expectations must hold. Optionally a JUnit XML report.
//
// Each case writes what it has to say to its own stream (its JUnit
// system-out); the command's `out` gets one line per case, the reason of
// each failure, and the output of a failing scenario. Wall-clock times are
// measured for the JUnit report only: nothing else printed depends on them.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "harness/strategy/dfs.hpp"
#include "harness/strategy/replay.hpp"
#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/explore_plan.hpp"
#include "tools/interleave/interrupt.hpp"
#include "tools/interleave/json_report.hpp"
#include "tools/interleave/shrink.hpp"
#include "tools/interleave/statistics.hpp"
#include "tools/scenario/canonical_hash.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {
namespace {

namespace fs = std::filesystem;

/// How one case ended.
struct CaseResult {
  std::string name;     ///< stable: "replay PATH" or "scenario PATH"
  std::string verdict;  ///< passed: what was shown ("reproduces", "fixed: …"); may be empty
  /// Empty: passed. Else the reason: its first line is the JUnit message,
  /// further lines (where, what to do) follow it on the console and in the
  /// JUnit failure's text.
  std::string failure;
  int code = kExitHeld;  ///< a failure's contribution to the exit code (1, 2 or 4)
  std::string output;   ///< what the case printed (JUnit system-out)
  bool print_output = false;  ///< a failing scenario's report goes to the console too
  double seconds = 0;   ///< JUnit only
  /// A scenario's statistics (statistics.hpp), JUnit's system-out only:
  /// the console never shows a time.
  std::string statistics;
};

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string junit(const std::vector<CaseResult>& cases, double seconds) {
  std::size_t failures = 0;
  for (const auto& c : cases) failures += c.failure.empty() ? 0 : 1;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format("<testsuites tests=\"{}\" failures=\"{}\" time=\"{:.3f}\">\n", cases.size(), failures, seconds);
  xml += fmt::format("  <testsuite name=\"interleave regress\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n",
                     cases.size(), failures, seconds);
  for (const auto& c : cases) {
    xml += fmt::format("    <testcase classname=\"interleave\" name=\"{}\" time=\"{:.3f}\">\n", xml_escape(c.name),
                       c.seconds);
    if (!c.failure.empty())
      xml += fmt::format("      <failure message=\"{}\">{}\n\n{}</failure>\n", xml_escape(c.failure.substr(0, c.failure.find('\n'))),
                         xml_escape(c.failure), xml_escape(c.output));
    xml += fmt::format("      <system-out>{}</system-out>\n    </testcase>\n", xml_escape(c.output + c.statistics));
  }
  return xml + "  </testsuite>\n</testsuites>\n";
}

/// The first error a case printed, without "interleave: ".
std::string first_error(const std::string& err) {
  std::size_t at = err.rfind("interleave: ", 0) == 0 ? 0 : err.find("\ninterleave: ");
  if (at == std::string::npos) return "it failed without saying why";
  at = err.find("interleave: ", at) + 12;
  return err.substr(at, err.find('\n', at) - at);
}

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", grouped(n), n == 1 ? one : many);
}

/// What replaying a trace's schedule against the current scenario gave.
enum class Found { kReproduces, kFixed, kDiverged };

/// "3 of 22 recorded steps applied"
std::string how_much_applied(const harness::LenientReplay& replay, const harness::Trace& recorded) {
  return fmt::format("{} of {} recorded steps applied", grouped(replay.steps_applied), grouped(recorded.events.size()));
}

/// "\nit departs at step 3: …", or nothing.
std::string where_it_departs(const harness::LenientReplay& replay) {
  return replay.departure.empty() ? "" : "\nit departs " + replay.departure;
}

/// The fixed scenario explored around a fixed trace's schedule: dfs with
/// the trace's number of preemptions as the bound, up to `budget`
/// executions, stopping at the first failure (saved beside the trace).
void check_around(const Scenario& scenario, const harness::Trace& recorded, const std::string& trace_path,
                  std::uint64_t max_steps, std::uint64_t budget, CaseResult& result, std::ostream& log) {
  const std::uint64_t preemptions = schedule_size(recorded).preemptions;
  const auto bound = static_cast<std::uint32_t>(std::min<std::uint64_t>(preemptions, 1000));
  harness::ExploreSettings settings;
  settings.max_steps = max_steps;
  settings.stop_at_first_failure = true;
  settings.stop = &interrupt_requested();
  settings.detect_races = harness::races_on(recorded.provenance);
  harness::StackPool stacks;
  harness::DfsStrategy dfs(harness::DfsSettings{bound, budget});
  const harness::Report report = harness::explore(make_program(scenario, max_steps), dfs, stacks, settings);
  const std::string space = fmt::format("{} with at most {}", plural(report.executions, "schedule", "schedules"),
                                        plural(bound, "preemption", "preemptions"));
  for (const auto& c : report.classes) {
    if (c.outcome.ok()) continue;
    const std::string stem = trace_path.ends_with(".trace") ? trace_path.substr(0, trace_path.size() - 6) : trace_path;
    const std::string saved = fmt::format("{}.after-fix.{}.trace", stem, harness::to_string(c.outcome.kind));
    harness::Trace found = c.first_trace;
    stamp_scenario(found, scenario);
    std::string where = "saved " + saved;
    try {
      save_scenario_trace(saved, found);
    } catch (const std::exception& error) {
      where = fmt::format("NOT saved: {}", error.what());
      result.code = kExitIoError;
    }
    log << fmt::format("around its schedule ({}): '{}' ({})\n", space, harness::describe(c.outcome), where);
    result.failure = fmt::format(
        "fixed on its own schedule, but the scenario still fails near it: '{}' in one of {} ({})\nreplay it: "
        "interleave replay {}",
        harness::describe(c.outcome), space, where, saved);
    if (result.code == kExitHeld) result.code = kExitFailed;
    return;
  }
  const std::string covered = report.interrupted ? "interrupted" : report.exhausted ? "every one" : "budget reached";
  log << fmt::format("around its schedule: {} ({}), none fails\n", space, covered);
  result.verdict += fmt::format("; around it {} ({}), none fails", space, covered);
}

/// Replays one trace against its current scenario and judges it against
/// what the trace expects.
void check_trace(const std::string& path, const RegressOptions& options, CaseResult& result) {
  std::ostringstream log, err;
  auto refuse = [&](int code, const std::string& reason) {
    result.code = code;
    result.failure = reason;
  };
  int code = kExitHeld;
  const std::optional<harness::Trace> trace = load_trace_or_report(path, code, err);
  std::optional<std::uint64_t> max_steps;
  std::optional<Scenario> scenario;
  if (trace) max_steps = max_steps_of_trace(*trace, path, err);
  if (max_steps) scenario = scenario_of_trace(*trace, path, options.allow_outside, code, MeaningCheck::kAllowChanged, err);
  if (!scenario) {
    // 2: the trace (or the scenario it names) is damaged, missing or of an
    // older format; 4: an I/O failure.
    refuse(code == kExitIoError ? kExitIoError : kExitBadInput,
           "the trace could not be replayed: " + first_error(err.str()));
    result.output = err.str();
    return;
  }
  const std::string recorded_hash = harness::provenance_value(*trace, "scenario-hash");
  const std::string now = canonical_scenario_hash_of_file(scenario->path);
  if (recorded_hash != now)
    log << fmt::format("the meaning of {} changed since this trace was recorded (scenario hash {}, now {})\n",
                       scenario->path, recorded_hash.empty() ? "none" : recorded_hash, now);

  harness::StackPool stacks;
  const harness::LenientReplay replay =
      harness::replay_leniently(make_program(*scenario, *max_steps), stacks, *trace, *max_steps);
  const std::string file_bytes = harness::read_file(path);
  const bool identical = harness::write_trace(replay.trace) == file_bytes;
  // Fixed: a failing schedule that now ends ok (a trace of an ok run that
  // runs otherwise has diverged, not been fixed).
  const bool fixed = replay.trace.outcome.ok() && !trace->outcome.ok();
  const Found found = identical ? Found::kReproduces : fixed ? Found::kFixed : Found::kDiverged;
  const std::string outcome = harness::describe(replay.trace.outcome);
  const std::string applied = how_much_applied(replay, *trace);
  switch (found) {
    case Found::kReproduces: log << fmt::format("reproduces '{}' byte for byte\n", outcome); break;
    case Found::kFixed: log << fmt::format("fixed: the schedule now ends ok ({}){}\n", applied, where_it_departs(replay)); break;
    case Found::kDiverged:
      log << fmt::format("diverged: the schedule ends with '{}' ({}){}\n", outcome, applied, where_it_departs(replay));
      break;
  }

  if (trace->expect == harness::TraceExpectation::kReproduces) {
    if (found == Found::kReproduces) {
      result.verdict = "reproduces";
    } else if (found == Found::kFixed) {
      refuse(kExitFailed, fmt::format("expected to reproduce, but its schedule now ends ok: fixed ({}){}\nif the fix "
                                      "is intended, keep the trace as a test that it stays fixed: interleave trace "
                                      "mark-fixed {}",
                                      applied, where_it_departs(replay), path));
    } else if (replay.departure.empty()) {
      refuse(kExitFailed, "did not replay byte for byte: the same steps and outcome, but the file's bytes are not the "
                          "ones the replay writes");
    } else {
      refuse(kExitFailed, fmt::format("did not replay byte for byte: the schedule ends with '{}' ({}){}", outcome,
                                      applied, where_it_departs(replay)));
    }
  } else if (found == Found::kReproduces) {
    refuse(kExitFailed, fmt::format("expected fixed, but the failure is back: the schedule reproduces '{}' byte for byte",
                                    outcome));
  } else if (found == Found::kDiverged) {
    refuse(kExitFailed,
           fmt::format("expected fixed, but the schedule ends with '{}' ({}){}", outcome, applied, where_it_departs(replay)));
  } else {
    result.verdict = fmt::format("fixed: {} of {} recorded steps applied", grouped(replay.steps_applied),
                                 grouped(trace->events.size()));
    if (options.fixed_budget > 0)
      check_around(*scenario, *trace, path, *max_steps, options.fixed_budget, result, log);
  }
  result.output = log.str() + err.str();
}

/// Runs one scenario as `interleave run` would, and judges it.
void check_scenario(const std::string& path, CaseResult& result) {
  std::ostringstream log;
  try {
    const Scenario scenario = load_scenario(path);
    const ScenarioRun run = run_scenario(scenario, ExploreOverrides{}, std::nullopt, ProgressDisplay::kNone);
    ScenarioReport report = scenario_report(scenario, run, ShardSet{});
    print_scenario(log, report);
    report.statistics = statistics_of(run);
    std::ostringstream statistics;
    print_statistics(statistics, report);
    result.statistics = statistics.str();
    if (report.judgement == Judgement::kFailed) {
      std::string why;
      for (const std::string& failure : report.failures) why += (why.empty() ? "" : "; ") + failure;
      result.failure = "the expectation did not hold: " + why;
      result.code = kExitFailed;
      result.print_output = true;
    } else if (report.interrupted) {
      result.failure = "interrupted";
      result.code = kExitFailed;
    }
  } catch (const ScenarioError& error) {
    result.failure = error.what();
    result.code = kExitBadInput;
  } catch (const BadPlan& refused) {
    result.failure = fmt::format("{}: {}", path, refused.what());
    result.code = kExitBadInput;
  }
  result.output = log.str();
}

/// Runs `body` for a case: an exception ends the case, not the whole run.
template <typename Body>
CaseResult run_case(std::string name, Body body) {
  CaseResult result;
  result.name = std::move(name);
  const auto start = std::chrono::steady_clock::now();
  try {
    body(result);
  } catch (const harness::FileRefused& error) {
    result.failure = error.what();
    result.code = kExitBadInput;
  } catch (const harness::IoError& error) {
    result.failure = error.what();
    result.code = kExitIoError;
  } catch (const std::exception& error) {
    result.failure = error.what();
    result.code = kExitFailed;
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

/// The exit code a failing case contributes: 2 for bad input, 4 for an I/O
/// failure, 1 otherwise; the run exits with the largest.
int severity(int code) { return code == kExitBadInput || code == kExitIoError ? code : kExitFailed; }

}  // namespace

int cmd_regress(const std::vector<std::string>& dirs_given, const std::optional<std::string>& junit_path,
                const RegressOptions& options, std::ostream& out, std::ostream& err) {
  const auto start = std::chrono::steady_clock::now();
  const std::vector<std::string> dirs = dirs_given.empty() ? std::vector<std::string>{"traces", "scenarios"} : dirs_given;
  if (junit_path) check_output_file(*junit_path);
  std::vector<std::string> traces, scenarios;
  for (const std::string& dir : dirs) {
    std::error_code error;
    if (!fs::is_directory(dir, error)) {
      err << fmt::format("interleave: {}: {}\n", dir,
                         fs::exists(dir, error) ? "is not a directory, expected a folder of traces and scenarios"
                                                : "no such file or directory");
      return kExitBadInput;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(dir, error), end;
    for (; !error && it != end; it.increment(error)) found.push_back(it->path().string());
    if (error) throw harness::IoError(fmt::format("could not read folder {}: {}", dir, error.message()));
    std::sort(found.begin(), found.end());
    for (const auto& path : found) {
      if (path.ends_with(".trace")) traces.push_back(path);
      if (path.ends_with(".toml")) scenarios.push_back(path);
    }
  }
  std::vector<CaseResult> cases;
  int worst = kExitHeld;
  auto report = [&](CaseResult result) {
    if (result.failure.empty()) {
      out << fmt::format("ok   {}{}\n", result.name, result.verdict.empty() ? "" : ": " + result.verdict);
    } else {
      out << fmt::format("FAIL {}\n", result.name);
      for (std::size_t at = 0; at < result.failure.size();) {
        const std::size_t end = std::min(result.failure.find('\n', at), result.failure.size());
        out << "       " << std::string_view(result.failure).substr(at, end - at) << "\n";
        at = end + 1;
      }
      if (result.print_output) out << result.output;
      worst = std::max(worst, severity(result.code));
    }
    cases.push_back(std::move(result));
  };
  bool interrupted = false;
  for (const std::string& trace : traces) {
    if ((interrupted = interrupt_requested())) break;
    report(run_case("replay " + trace, [&](CaseResult& result) { check_trace(trace, options, result); }));
  }
  for (const std::string& scenario : scenarios) {
    if (interrupted || (interrupted = interrupt_requested())) break;
    report(run_case("scenario " + scenario, [&](CaseResult& result) { check_scenario(scenario, result); }));
  }
  std::size_t passed = 0;
  for (const auto& c : cases) passed += c.failure.empty() ? 1 : 0;
  out << fmt::format("{} passed, {} failed\n", passed, cases.size() - passed);
  if (interrupted) out << fmt::format("interrupted: {} of {} cases run\n", cases.size(), traces.size() + scenarios.size());
  if (junit_path) {
    try {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      harness::write_file_atomically(*junit_path, junit(cases, seconds));
    } catch (const harness::IoError& error) {
      err << "interleave: " << error.what() << "\n";
      return kExitIoError;
    }
  }
  return interrupted ? kExitInterrupted : worst;
}

}  // namespace interleave
