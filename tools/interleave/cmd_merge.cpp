// interleave merge: the shards' JSON reports combined into the report of the
// whole run, with each scenario's expectation judged on the whole. An
// incomplete or overlapping set of shards is refused unless --partial asks
// for a partial merge, which judges nothing and claims no exhausted space.
#include <charconv>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/json_report.hpp"

namespace interleave {
namespace {

/// The number after `label` in a report's strategy text ("dfs, preemption
/// bound 2", "delay, delay bound 1": ExplorePlan::describe_first), if any.
std::optional<std::uint32_t> bound_in(const std::string& strategy, const std::string& label) {
  const std::size_t at = strategy.find(label);
  if (at == std::string::npos) return std::nullopt;
  std::uint32_t value = 0;
  const char* begin = strategy.data() + at + label.size();
  const auto [ptr, ec] = std::from_chars(begin, strategy.data() + strategy.size(), value);
  if (ec != std::errc{} || ptr == begin) return std::nullopt;
  return value;
}

/// What bounded the shards' exploration, as judge() needs it.
ExploreLimits limits_of(const ScenarioReport& report) {
  ExploreLimits limits;
  if (report.interrupted) limits.stop = ExploreLimits::Stop::kInterrupted;
  else if (report.time_limit) limits.stop = ExploreLimits::Stop::kTimeLimit;
  if (report.strategy.starts_with("delay")) limits.delay_bound = bound_in(report.strategy, "delay bound ");
  else if (report.strategy.starts_with("dfs")) limits.preemption_bound = bound_in(report.strategy, "preemption bound ");
  return limits;
}

}  // namespace

int cmd_merge(const std::vector<std::string>& report_paths, const std::optional<std::string>& json_path, bool partial) {
  std::vector<RunReport> reports;
  if (json_path && *json_path != "-") check_output_file(*json_path);
  for (const std::string& path : report_paths) {
    // A file that cannot be read throws: FileRefused (exit 2), IoError (exit 4).
    const std::string text = harness::read_file(path, kMaxJsonReportBytes, "a JSON report");
    Json report;
    try {
      report = Json::parse(text);
    } catch (const Json::parse_error& error) {
      std::cerr << fmt::format("interleave: {}: not a JSON report: {}\n", path, error.what());
      return kExitBadInput;
    }
    try {
      reports.push_back(run_report_of(report));
    } catch (const std::exception& error) {
      std::cerr << fmt::format("interleave: {}: not an interleave report: {}\n", path, error.what());
      return kExitBadInput;
    }
  }
  // The shards must fit together: one split, each shard once, all of them.
  const std::uint32_t count = reports.front().shards.count;
  std::map<std::uint32_t, std::string> given;  // shard -> the report that has it
  for (std::size_t r = 0; r < reports.size(); ++r) {
    if (reports[r].shards.count != count) {
      std::cerr << fmt::format("interleave: {} splits the space into {} shard(s), {} into {}: not parts of one run\n",
                               report_paths[r], reports[r].shards.count, report_paths[0], count);
      return kExitBadInput;
    }
    for (std::uint32_t k : reports[r].shards.indices) {
      if (auto [it, fresh] = given.emplace(k, report_paths[r]); !fresh) {
        std::cerr << fmt::format("interleave: shard {}/{} is given twice: in {} and in {}\n", k, count, it->second,
                                 report_paths[r]);
        return kExitBadInput;
      }
    }
  }
  if (given.size() < count && !partial) {
    std::string missing;
    std::size_t n = 0;
    for (std::uint32_t k = 0; k < count; ++k)
      if (!given.contains(k)) missing += fmt::format("{}{}/{}", n++ == 0 ? "" : ", ", k, count);
    std::cerr << fmt::format(
        "interleave: an incomplete set of shard reports: shard{} {} {} missing. Merge every shard's report, or pass "
        "--partial for a partial merge (which judges no expectation)\n",
        n == 1 ? "" : "s", missing, n == 1 ? "is" : "are");
    return kExitBadInput;
  }
  RunReport merged;
  try {
    merged = merge_runs(reports);
  } catch (const std::exception& error) {
    std::cerr << fmt::format("interleave: cannot merge these reports: {}\n", error.what());
    return kExitBadInput;
  }
  std::ostream& out = json_path == "-" ? std::cerr : std::cout;
  std::uint64_t held = 0, failed = 0, not_judged = 0;
  for (ScenarioReport& scenario : merged.scenarios) {
    if (merged.shards.whole()) {
      const std::optional<Scenario> loaded = load_or_report(scenario.path);
      if (!loaded) return kExitBadInput;
      if (loaded->content_hash != scenario.scenario_hash) {
        std::cerr << fmt::format("interleave: {} changed since the shards ran: re-run them\n", scenario.path);
        return kExitBadInput;
      }
      const Verdict verdict = judge(loaded->expect, harness_report(scenario), limits_of(scenario));
      scenario.judgement = verdict.held ? Judgement::kHeld : Judgement::kFailed;
      scenario.failures = verdict.failures;
      scenario.caveats = verdict.caveats;
    }
    (scenario.judgement == Judgement::kHeld ? held : scenario.judgement == Judgement::kFailed ? failed : not_judged) += 1;
    print_scenario(out, scenario);
  }
  out << fmt::format("{} scenario{} merged from {} report{}: {} held, {} failed{}\n", merged.scenarios.size(),
                     merged.scenarios.size() == 1 ? "" : "s", reports.size(), reports.size() == 1 ? "" : "s", held,
                     failed, not_judged ? fmt::format(", {} not judged (a partial merge)", not_judged) : "");
  if (json_path) {
    try {
      write_json(*json_path, to_json(merged));
    } catch (const harness::IoError& error) {
      std::cerr << "interleave: " << error.what() << "\n";
      return kExitIoError;
    }
  }
  return failed > 0 ? kExitFailed : kExitHeld;
}

}  // namespace interleave
