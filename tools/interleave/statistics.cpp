#include "tools/interleave/statistics.hpp"

#include <fmt/format.h>

#include "harness/outcome.hpp"
#include "tools/interleave/json_report.hpp"
#include "tools/interleave/run_scenario.hpp"

namespace interleave {
namespace {

/// The default mix's phases are named in `then` ("pct depth 3 + random,
/// seed 1"); a class's order key starts with its phase (0 dfs, 1 pct, 2
/// random).
std::string found_by(const ScenarioRun& run, const harness::OutcomeClass& c) {
  if (run.then.empty() || c.first_key.empty() || c.first_key.front() == 0) return run.strategy;
  const std::size_t plus = run.then.find(" + ");
  if (plus == std::string::npos) return run.then;
  return c.first_key.front() == 1 ? run.then.substr(0, plus) : run.then.substr(plus + 3);
}

std::string percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return "-";
  const double share = 100.0 * static_cast<double>(part) / static_cast<double>(whole);
  return share >= 0.1 || part == 0 ? fmt::format("{:.1f} %", share) : "<0.1 %";
}

}  // namespace

ScenarioStatistics statistics_of(const ScenarioRun& run) {
  ScenarioStatistics statistics;
  statistics.seconds = run.seconds;
  for (const harness::OutcomeClass& c : run.report.classes)
    statistics.classes.push_back(ClassStatistics{c.first_execution + 1, found_by(run, c)});
  return statistics;
}

void print_statistics(std::ostream& out, const ScenarioReport& report) {
  const ScenarioStatistics& statistics = *report.statistics;
  const std::uint64_t executions = report.executions + report.pruned;
  const double rate = statistics.seconds > 0 ? static_cast<double>(executions) / statistics.seconds : 0;
  out << fmt::format("  statistics: {} executions in {:.3f} s ({}/s)\n", grouped(executions), statistics.seconds,
                     grouped(static_cast<std::uint64_t>(rate)));
  std::size_t width = 5;
  for (const ClassReport& c : report.classes) width = std::max(width, harness::describe(c.outcome).size());
  width = std::min<std::size_t>(width, 60);
  out << fmt::format("    {:<{}}  {:>8}  {:>11}  {}\n", "class", width, "share", "first", "found by");
  for (std::size_t i = 0; i < report.classes.size() && i < statistics.classes.size(); ++i) {
    const ClassReport& c = report.classes[i];
    std::string name = harness::describe(c.outcome);
    if (name.size() > width) name = name.substr(0, width - 3) + "...";
    out << fmt::format("    {:<{}}  {:>8}  {:>11}  {}\n", name, width, percent(c.count, report.executions),
                       "#" + grouped(statistics.classes[i].first_execution), statistics.classes[i].found_by);
  }
  out << "\n";
}

nlohmann::ordered_json statistics_json(const ScenarioStatistics& statistics) {
  nlohmann::ordered_json classes = nlohmann::ordered_json::array();
  for (const ClassStatistics& c : statistics.classes)
    classes.push_back({{"first_execution", c.first_execution}, {"found_by", c.found_by}});
  return {{"seconds", statistics.seconds}, {"classes", std::move(classes)}};
}

ScenarioStatistics statistics_of_json(const nlohmann::ordered_json& json) {
  ScenarioStatistics statistics;
  statistics.seconds = json.at("seconds").get<double>();
  for (const auto& c : json.at("classes"))
    statistics.classes.push_back(
        ClassStatistics{c.at("first_execution").get<std::uint64_t>(), c.at("found_by").get<std::string>()});
  return statistics;
}

}  // namespace interleave
