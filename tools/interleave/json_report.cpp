#include "tools/interleave/json_report.hpp"

#include <iostream>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"

namespace interleave {

Json scenario_json(const Scenario& scenario, const ScenarioRun& run) {
  Json outcomes = Json::array();
  for (const auto& c : run.report.classes) {
    Json entry;
    entry["kind"] = std::string(harness::to_string(c.outcome.kind));
    entry["message"] = c.outcome.message;
    entry["count"] = c.count;
    entry["order_key"] = c.first_key;  // picks the unsharded run's first execution when merging
    entry["trace"] = nullptr;
    for (const SavedTrace& t : run.traces)
      if (t.outcome == c.outcome) entry["trace"] = t.path;
    outcomes.push_back(std::move(entry));
  }
  Json json;
  json["path"] = scenario.path;
  json["name"] = scenario.name;
  json["scenario_hash"] = scenario.content_hash;
  json["strategy"] = run.strategy_summary;
  json["executions"] = run.report.executions - run.report.pruned;
  json["pruned"] = run.report.pruned;
  json["exhausted"] = run.report.exhausted;
  json["interrupted"] = run.report.interrupted;
  json["outcomes"] = std::move(outcomes);
  json["expectation"] = Json{{"held", run.verdict.held}, {"failures", run.verdict.failures},
                             {"caveats", run.verdict.caveats}};
  return json;
}

Json report_json(const std::vector<Json>& scenarios, const std::string& shard) {
  std::uint64_t held = 0;
  for (const Json& s : scenarios) held += s["expectation"]["held"].get<bool>() ? 1 : 0;
  Json report;
  report["interleave_report"] = kJsonReportVersion;
  report["shard"] = shard;
  report["scenarios"] = scenarios;
  report["summary"] = Json{{"scenarios", scenarios.size()}, {"held", held}, {"failed", scenarios.size() - held}};
  return report;
}

void write_json(const std::string& path, const Json& report) {
  const std::string text = report.dump(2) + "\n";
  if (path == "-") {
    std::cout << text;
    return;
  }
  harness::write_file_atomically(path, text);
}

harness::Outcome outcome_of(const Json& entry);

Json merge_reports(const std::vector<Json>& reports) {
  if (reports.empty()) throw std::runtime_error("nothing to merge");
  std::set<std::string> shards;
  std::vector<Json> merged;
  for (const Json& report : reports) {
    if (report.value("interleave_report", 0) != kJsonReportVersion)
      throw std::runtime_error("not an interleave report of version 1");
    const std::string shard = report.value("shard", "");
    if (!shards.insert(shard).second) throw std::runtime_error(fmt::format("shard '{}' is given twice", shard));
    const Json& scenarios = report.at("scenarios");
    if (merged.empty()) {
      merged = scenarios.get<std::vector<Json>>();
      continue;
    }
    if (scenarios.size() != merged.size()) throw std::runtime_error("the reports cover different scenarios");
    for (std::size_t i = 0; i < merged.size(); ++i) {
      Json& into = merged[i];
      const Json& more = scenarios[i];
      if (into["path"] != more["path"] || into["scenario_hash"] != more["scenario_hash"])
        throw std::runtime_error(fmt::format("the reports disagree on scenario {}: {} vs {}", i,
                                             into["path"].dump(), more["path"].dump()));
      into["executions"] = into["executions"].get<std::uint64_t>() + more["executions"].get<std::uint64_t>();
      into["pruned"] = into["pruned"].get<std::uint64_t>() + more["pruned"].get<std::uint64_t>();
      into["exhausted"] = into["exhausted"].get<bool>() && more["exhausted"].get<bool>();
      into["interrupted"] = into["interrupted"].get<bool>() || more["interrupted"].get<bool>();
      // Classes in the engine's order; each keeps the execution with the
      // smallest order key, as an unsharded run would.
      std::map<harness::Outcome, Json> classes;
      for (const Json& c : into["outcomes"]) classes[outcome_of(c)] = c;
      for (const Json& c : more["outcomes"]) {
        auto [it, inserted] = classes.try_emplace(outcome_of(c), c);
        if (inserted) continue;
        const std::uint64_t count = it->second["count"].get<std::uint64_t>() + c["count"].get<std::uint64_t>();
        if (c["order_key"].get<std::vector<std::uint64_t>>() < it->second["order_key"].get<std::vector<std::uint64_t>>())
          it->second = c;
        it->second["count"] = count;
      }
      Json outcomes = Json::array();
      for (auto& [key, c] : classes) outcomes.push_back(c);
      into["outcomes"] = outcomes;
    }
  }
  return report_json(merged, "merged");
}

namespace {

std::string json_type(const Json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number_unsigned()) return "a whole number";
  if (value.is_number()) return "a negative or fractional number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "an array";
  return "an object";
}

/// Checks `value[key]` with `valid`; the problem names its JSON pointer.
class Checker {
 public:
  std::optional<std::string> problem;

  bool check(const Json& object, const std::string& at, const std::string& key, bool (*valid)(const Json&),
             std::string_view expected) {
    if (problem) return false;
    if (!object.contains(key)) {
      problem = fmt::format("{}: expected \"{}\" ({})", at.empty() ? "/" : at, key, expected);
      return false;
    }
    const Json& value = object.at(key);
    if (!valid(value)) {
      problem = fmt::format("{}/{}: expected {}, found {}", at, key, expected, json_type(value));
      return false;
    }
    return true;
  }
};

bool is_object(const Json& v) { return v.is_object(); }
bool is_array(const Json& v) { return v.is_array(); }
bool is_string(const Json& v) { return v.is_string(); }
bool is_bool(const Json& v) { return v.is_boolean(); }
bool is_whole(const Json& v) { return v.is_number_unsigned(); }
bool is_string_or_null(const Json& v) { return v.is_string() || v.is_null(); }
bool is_kind(const Json& v) {
  if (!v.is_string()) return false;
  const auto kind = harness::parse_outcome_kind(v.get<std::string>());
  return kind && *kind != harness::OutcomeKind::kPruned;
}
bool is_order_key(const Json& v) {
  if (!v.is_array()) return false;
  for (const Json& e : v)
    if (!e.is_number_unsigned()) return false;
  return true;
}

}  // namespace

std::optional<std::string> report_problem(const Json& report) {
  if (!report.is_object()) return fmt::format("/: expected an object, found {}", json_type(report));
  Checker c;
  if (c.check(report, "", "interleave_report", is_whole, "the report version 1") &&
      report.at("interleave_report").get<std::uint64_t>() != static_cast<std::uint64_t>(kJsonReportVersion))
    return fmt::format("/interleave_report: this build reads reports of version {}, found {}", kJsonReportVersion,
                       report.at("interleave_report").dump());
  c.check(report, "", "shard", is_string, "a string");
  if (!c.check(report, "", "scenarios", is_array, "an array")) return c.problem;
  const Json& scenarios = report.at("scenarios");
  for (std::size_t i = 0; i < scenarios.size() && !c.problem; ++i) {
    const std::string at = fmt::format("/scenarios/{}", i);
    if (!scenarios[i].is_object()) return fmt::format("{}: expected an object, found {}", at, json_type(scenarios[i]));
    const Json& s = scenarios[i];
    c.check(s, at, "path", is_string, "a string");
    c.check(s, at, "scenario_hash", is_string, "a string");
    c.check(s, at, "executions", is_whole, "a whole number");
    c.check(s, at, "pruned", is_whole, "a whole number");
    c.check(s, at, "exhausted", is_bool, "true or false");
    c.check(s, at, "interrupted", is_bool, "true or false");
    if (c.check(s, at, "expectation", is_object, "an object"))
      c.check(s.at("expectation"), at + "/expectation", "held", is_bool, "true or false");
    if (!c.check(s, at, "outcomes", is_array, "an array")) break;
    const Json& outcomes = s.at("outcomes");
    for (std::size_t k = 0; k < outcomes.size() && !c.problem; ++k) {
      const std::string entry_at = fmt::format("{}/outcomes/{}", at, k);
      if (!outcomes[k].is_object())
        return fmt::format("{}: expected an object, found {}", entry_at, json_type(outcomes[k]));
      const Json& o = outcomes[k];
      c.check(o, entry_at, "kind", is_kind, "an outcome kind (ok, fatal, panic, …)");
      c.check(o, entry_at, "message", is_string, "a string");
      c.check(o, entry_at, "count", is_whole, "a whole number");
      c.check(o, entry_at, "order_key", is_order_key, "an array of whole numbers");
      c.check(o, entry_at, "trace", is_string_or_null, "a string or null");
    }
  }
  return c.problem;
}

harness::Outcome outcome_of(const Json& entry) {
  const auto kind = harness::parse_outcome_kind(entry.at("kind").get<std::string>());
  if (!kind) throw std::runtime_error(fmt::format("unknown outcome kind {}", entry.at("kind").dump()));
  return harness::Outcome{*kind, entry.at("message").get<std::string>()};
}

}  // namespace interleave
