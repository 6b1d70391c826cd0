// interleave merge: the shards' JSON reports combined into the report of the
// unsharded run, with each scenario's expectation judged on the whole.
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/interleave/json_report.hpp"

namespace interleave {
namespace {

/// The parts of a harness::Report that judging needs, from a JSON entry.
harness::Report report_of(const Json& scenario) {
  harness::Report report;
  report.executions = scenario.at("executions").get<std::uint64_t>();
  report.pruned = scenario.at("pruned").get<std::uint64_t>();
  report.exhausted = scenario.at("exhausted").get<bool>();
  report.interrupted = scenario.at("interrupted").get<bool>();
  for (const Json& entry : scenario.at("outcomes")) {
    harness::OutcomeClass c;
    c.outcome = outcome_of(entry);
    c.count = entry.at("count").get<std::uint64_t>();
    report.classes.push_back(std::move(c));
  }
  return report;
}

}  // namespace

int cmd_merge(const std::vector<std::string>& report_paths, const std::optional<std::string>& json_path) {
  std::vector<Json> reports;
  if (json_path && *json_path != "-") check_output_file(*json_path);
  for (const std::string& path : report_paths) {
    // A file that cannot be read throws: FileRefused (exit 2), FileIoError (exit 4).
    const std::string text = harness::read_file(path, kMaxJsonReportBytes, "a JSON report");
    Json report;
    try {
      report = Json::parse(text);
    } catch (const Json::parse_error& error) {
      std::cerr << fmt::format("interleave: {}: not a JSON report: {}\n", path, error.what());
      return kExitBadInput;
    }
    if (const std::optional<std::string> problem = report_problem(report)) {
      std::cerr << fmt::format("interleave: {}: not an interleave report: {}\n", path, *problem);
      return kExitBadInput;
    }
    reports.push_back(std::move(report));
  }
  Json merged;
  try {
    merged = merge_reports(reports);
  } catch (const std::exception& error) {
    std::cerr << fmt::format("interleave: cannot merge these reports: {}\n", error.what());
    return kExitBadInput;
  }
  std::ostream& out = json_path == "-" ? std::cerr : std::cout;
  std::uint64_t held = 0, failed = 0;
  for (Json& scenario : merged["scenarios"]) {
    const std::string path = scenario["path"].get<std::string>();
    const std::optional<Scenario> loaded = load_or_report(path);
    if (!loaded) return kExitBadInput;
    if (loaded->content_hash != scenario["scenario_hash"].get<std::string>()) {
      std::cerr << fmt::format("interleave: {} changed since the shards ran: re-run them\n", path);
      return kExitBadInput;
    }
    const Verdict verdict = judge(loaded->expect, report_of(scenario));
    scenario["expectation"] = Json{{"held", verdict.held}, {"failures", verdict.failures}, {"caveats", verdict.caveats}};
    (verdict.held ? held : failed) += 1;
    out << fmt::format("{} — {}\n  explored: {} executions in {} shards{}\n  outcomes:\n", path, loaded->description,
                       grouped(scenario["executions"].get<std::uint64_t>()), reports.size(),
                       scenario["exhausted"].get<bool>() ? " (exhausted)" : "");
    for (const Json& entry : scenario["outcomes"]) {
      out << fmt::format("    {:>9}  {}\n", grouped(entry["count"].get<std::uint64_t>()),
                         harness::describe(outcome_of(entry)));
      if (!entry["trace"].is_null()) out << fmt::format("               trace: {}\n", entry["trace"].get<std::string>());
    }
    out << (verdict.held ? "  expectation: held\n" : "  expectation: FAILED\n");
    for (const auto& why : verdict.failures) out << "    - " << why << "\n";
    out << "\n";
  }
  merged["summary"]["held"] = held;
  merged["summary"]["failed"] = failed;
  out << fmt::format("{} scenarios merged from {} shards: {} held, {} failed\n", held + failed, reports.size(), held,
                     failed);
  if (json_path) write_json(*json_path, merged);
  return failed > 0 ? kExitFailed : kExitHeld;
}

}  // namespace interleave
