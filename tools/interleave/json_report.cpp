#include "tools/interleave/json_report.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "harness/trace/atomic_file.hpp"

namespace interleave {

std::string ShardSet::text() const {
  if (count == 1) return "";
  std::string list;
  for (std::uint32_t k : indices) list += fmt::format("{}{}", list.empty() ? "" : ",", k);
  return fmt::format("{}/{}", list, count);
}

std::optional<ShardSet> ShardSet::parse(const std::string& text) {
  if (text.empty()) return ShardSet{};
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0) return std::nullopt;
  auto number = [](const std::string& digits) -> std::optional<std::uint32_t> {
    if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    return static_cast<std::uint32_t>(std::stoul(digits));
  };
  const std::optional<std::uint32_t> count = number(text.substr(slash + 1));
  if (!count || *count < 2) return std::nullopt;
  ShardSet set{*count, {}};
  std::string list = text.substr(0, slash);
  for (std::size_t start = 0; start <= list.size();) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::optional<std::uint32_t> k = number(list.substr(start, comma - start));
    if (!k || *k >= *count || (!set.indices.empty() && *k <= set.indices.back())) return std::nullopt;
    set.indices.push_back(*k);
    start = comma + 1;
  }
  return set;
}

namespace {

std::string shard_list(const ShardSet& set) {
  std::string list;
  for (std::uint32_t k : set.indices) list += fmt::format("{}{}", list.empty() ? "" : ", ", k);
  return list;
}

Json strings(const std::vector<std::string>& list) {
  Json array = Json::array();
  for (const std::string& s : list) array.push_back(s);
  return array;
}

}  // namespace

ScenarioReport scenario_report(const Scenario& scenario, const ScenarioRun& run, const ShardSet& shards) {
  ScenarioReport report;
  report.path = scenario.path;
  report.name = scenario.name;
  report.description = scenario.description;
  report.scenario_hash = scenario.content_hash;
  report.strategy = run.strategy;
  report.exhaustive = run.exhaustive;
  report.then = run.then;
  report.shards = shards;
  report.executions = run.report.executions - run.report.pruned;
  report.pruned = run.report.pruned;
  report.states = run.states;
  report.stateful_off = run.stateful_off;
  report.exhausted = run.report.exhausted;
  report.interrupted = run.report.interrupted && !run.time_limit;
  report.time_limit = run.time_limit;
  for (const auto& c : run.report.classes) {
    ClassReport entry;
    entry.outcome = c.outcome;
    entry.count = c.count;
    entry.order_key = c.first_key;
    if (const auto it = run.explanations.find(c.outcome); it != run.explanations.end()) entry.explanation = it->second;
    for (const SavedTrace& t : run.traces) {
      if (t.outcome != c.outcome) continue;
      if (t.error.empty()) entry.trace = t.path;
      entry.trace_error = t.error;
      entry.shrink_note = t.shrink_note;
    }
    report.classes.push_back(std::move(entry));
  }
  report.judgement = !run.judged ? Judgement::kNotJudged : run.verdict.held ? Judgement::kHeld : Judgement::kFailed;
  report.failures = run.verdict.failures;
  report.caveats = run.verdict.caveats;
  return report;
}

std::string strategy_line(const ScenarioReport& report) {
  std::string line = report.strategy;
  if (report.exhaustive) {
    if (!report.exhausted) line += " (not exhausted)";
    else line += report.shards.whole() ? " (exhausted)" : " (its shard exhausted)";
  }
  if (!report.then.empty()) {
    line += " + " + report.then;
    if (report.then_on)
      line += fmt::format(" (on shard{} {} of {})", report.then_on->indices.size() == 1 ? "" : "s",
                          shard_list(*report.then_on), report.then_on->count);
  }
  if (report.states) {
    line += fmt::format("; {} states, {} runs stopped at a state explored before", grouped(*report.states),
                        grouped(report.pruned));
    if (!report.stateful_off.empty()) line += fmt::format(" (stateful search did not apply: {})", report.stateful_off);
  } else if (report.pruned > 0) {
    line += fmt::format("; {} sleep-set-blocked runs pruned", grouped(report.pruned));
  }
  const ShardSet& shards = report.shards;
  if (shards.count > 1) {
    if (shards.whole()) line += fmt::format("; merged from {} shards", shards.count);
    else if (shards.indices.size() == 1) line += fmt::format("; shard {}/{}", shards.indices[0], shards.count);
    else line += fmt::format("; shards {} of {} only (a partial merge)", shard_list(shards), shards.count);
  }
  return line;
}

void print_scenario(std::ostream& out, const ScenarioReport& report) {
  out << fmt::format("{} — {}\n", report.path, report.description);
  out << fmt::format("  explored: {} executions, {}{}\n", grouped(report.executions + report.pruned),
                     strategy_line(report),
                     report.interrupted  ? " (interrupted)"
                     : report.time_limit ? " (stopped by the time limit)"
                                         : "");
  out << "  outcomes:\n";
  for (const ClassReport& c : report.classes) {
    out << fmt::format("    {:>9}  {}\n", grouped(c.count), harness::describe(c.outcome));
    if (c.trace) out << fmt::format("               trace: {}  (replay: interleave replay {})\n", *c.trace, *c.trace);
    if (!c.trace_error.empty()) out << fmt::format("               trace NOT saved: {}\n", c.trace_error);
    if (!c.shrink_note.empty()) out << fmt::format("               {}\n", c.shrink_note);
    if (!c.explanation.empty()) {
      std::string indented;
      for (std::size_t at = 0; at < c.explanation.size();) {
        const std::size_t end = c.explanation.find('\n', at);
        indented += "               " + c.explanation.substr(at, end == std::string::npos ? end : end - at + 1);
        at = end == std::string::npos ? c.explanation.size() : end + 1;
      }
      out << indented << (indented.ends_with('\n') ? "" : "\n");
    }
  }
  switch (report.judgement) {
    case Judgement::kHeld:
      out << "  expectation: held";
      for (const auto& caveat : report.caveats) out << " (" << caveat << ")";
      out << "\n";
      break;
    case Judgement::kFailed:
      out << "  expectation: FAILED\n";
      for (const auto& why : report.failures) out << "    - " << why << "\n";
      break;
    case Judgement::kNotJudged:
      out << "  expectation: not judged";
      for (const auto& caveat : report.caveats) out << " (" << caveat << ")";
      out << "\n";
      break;
  }
  out << "\n";
}

namespace {

Json scenario_json(const ScenarioReport& r) {
  Json outcomes = Json::array();
  for (const ClassReport& c : r.classes) {
    Json entry;
    entry["kind"] = std::string(harness::to_string(c.outcome.kind));
    entry["message"] = c.outcome.message;
    entry["count"] = c.count;
    entry["order_key"] = c.order_key;  // picks the unsharded run's first execution when merging
    entry["trace"] = c.trace ? Json(*c.trace) : Json(nullptr);
    entry["trace_error"] = c.trace_error;
    entry["shrink_note"] = c.shrink_note;
    if (!c.explanation.empty()) entry["explanation"] = c.explanation;
    outcomes.push_back(std::move(entry));
  }
  Json json;
  json["path"] = r.path;
  json["name"] = r.name;
  json["description"] = r.description;
  json["scenario_hash"] = r.scenario_hash;
  json["strategy"] = strategy_line(r);  // for people; read back from "method"
  json["method"] = Json{{"strategy", r.strategy},
                        {"exhaustive", r.exhaustive},
                        {"then", r.then},
                        {"then_on", r.then_on ? Json(r.then_on->text()) : Json(nullptr)}};
  json["executions"] = r.executions;
  json["pruned"] = r.pruned;
  if (r.states) json["states"] = *r.states;
  if (!r.stateful_off.empty()) json["stateful_off"] = r.stateful_off;
  json["exhausted"] = r.exhausted;
  json["interrupted"] = r.interrupted;
  json["time_limit_reached"] = r.time_limit;
  json["outcomes"] = std::move(outcomes);
  const Json held = r.judgement == Judgement::kNotJudged ? Json(nullptr) : Json(r.judgement == Judgement::kHeld);
  json["expectation"] = Json{{"held", held}, {"failures", strings(r.failures)}, {"caveats", strings(r.caveats)}};
  if (r.statistics) json["statistics"] = statistics_json(*r.statistics);
  return json;
}

ScenarioReport scenario_of_json(const Json& json, const ShardSet& shards) {
  ScenarioReport r;
  r.path = json.at("path").get<std::string>();
  r.name = json.at("name").get<std::string>();
  r.description = json.at("description").get<std::string>();
  r.scenario_hash = json.at("scenario_hash").get<std::string>();
  const Json& method = json.at("method");
  r.strategy = method.at("strategy").get<std::string>();
  r.exhaustive = method.at("exhaustive").get<bool>();
  r.then = method.at("then").get<std::string>();
  if (!method.at("then_on").is_null()) {
    r.then_on = ShardSet::parse(method.at("then_on").get<std::string>());
    if (!r.then_on) throw std::runtime_error(fmt::format("bad then_on {}", method.at("then_on").dump()));
  }
  r.shards = shards;
  r.executions = json.at("executions").get<std::uint64_t>();
  r.pruned = json.at("pruned").get<std::uint64_t>();
  if (json.contains("states")) r.states = json.at("states").get<std::uint64_t>();
  r.stateful_off = json.value("stateful_off", "");
  r.exhausted = json.at("exhausted").get<bool>();
  r.interrupted = json.at("interrupted").get<bool>();
  r.time_limit = json.value("time_limit_reached", false);  // absent from reports written before --time-limit
  for (const Json& entry : json.at("outcomes")) {
    ClassReport c;
    c.outcome = outcome_of(entry);
    c.count = entry.at("count").get<std::uint64_t>();
    c.order_key = entry.at("order_key").get<std::vector<std::uint64_t>>();
    if (!entry.at("trace").is_null()) c.trace = entry.at("trace").get<std::string>();
    c.trace_error = entry.at("trace_error").get<std::string>();
    c.shrink_note = entry.at("shrink_note").get<std::string>();
    c.explanation = entry.value("explanation", "");
    r.classes.push_back(std::move(c));
  }
  const Json& expectation = json.at("expectation");
  const Json& held = expectation.at("held");
  r.judgement = held.is_null() ? Judgement::kNotJudged : held.get<bool>() ? Judgement::kHeld : Judgement::kFailed;
  r.failures = expectation.at("failures").get<std::vector<std::string>>();
  r.caveats = expectation.at("caveats").get<std::vector<std::string>>();
  if (json.contains("statistics")) r.statistics = statistics_of_json(json.at("statistics"));
  return r;
}

}  // namespace

Json to_json(const RunReport& report) {
  std::uint64_t held = 0, failed = 0;
  Json scenarios = Json::array();
  for (const ScenarioReport& s : report.scenarios) {
    held += s.judgement == Judgement::kHeld ? 1 : 0;
    failed += s.judgement == Judgement::kFailed ? 1 : 0;
    scenarios.push_back(scenario_json(s));
  }
  Json json;
  json["interleave_report"] = kJsonReportVersion;
  json["shard"] = report.shards.text();
  json["scenarios"] = std::move(scenarios);
  json["summary"] = Json{{"scenarios", report.scenarios.size()},
                         {"held", held},
                         {"failed", failed},
                         {"not_judged", report.scenarios.size() - held - failed}};
  return json;
}

RunReport run_report_of(const Json& json) {
  if (!json.is_object() || json.value("interleave_report", 0) != kJsonReportVersion)
    throw std::runtime_error(
        fmt::format("not an interleave report of version {} (re-run it with this interleave)", kJsonReportVersion));
  RunReport report;
  const std::optional<ShardSet> shards = ShardSet::parse(json.at("shard").get<std::string>());
  if (!shards) throw std::runtime_error(fmt::format("bad shard {}", json.at("shard").dump()));
  report.shards = *shards;
  for (const Json& s : json.at("scenarios")) report.scenarios.push_back(scenario_of_json(s, report.shards));
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

harness::Report harness_report(const ScenarioReport& r) {
  harness::Report report;
  report.program = r.name;
  report.executions = r.executions + r.pruned;
  report.pruned = r.pruned;
  report.exhausted = r.exhausted;
  report.interrupted = r.interrupted || r.time_limit;
  for (const ClassReport& c : r.classes) {
    harness::OutcomeClass cls;
    cls.outcome = c.outcome;
    cls.count = c.count;
    cls.first_key = c.order_key;
    report.classes.push_back(std::move(cls));
  }
  return report;
}

RunReport merge_runs(const std::vector<RunReport>& reports) {
  if (reports.empty()) throw std::runtime_error("nothing to merge");
  RunReport merged;
  merged.shards = ShardSet{reports.front().shards.count, {}};
  std::set<std::uint32_t> indices;
  for (const RunReport& report : reports) {
    if (report.shards.count != merged.shards.count)
      throw std::runtime_error(fmt::format("the reports split the space differently: into {} and into {} shards",
                                           merged.shards.count, report.shards.count));
    for (std::uint32_t k : report.shards.indices)
      if (!indices.insert(k).second)
        throw std::runtime_error(fmt::format("shard {}/{} is given twice", k, merged.shards.count));
    if (report.scenarios.size() != reports.front().scenarios.size())
      throw std::runtime_error("the reports cover different scenarios");
  }
  merged.shards.indices.assign(indices.begin(), indices.end());
  const bool whole = merged.shards.whole();

  for (std::size_t i = 0; i < reports.front().scenarios.size(); ++i) {
    ScenarioReport into = reports.front().scenarios[i];
    into.shards = merged.shards;
    into.statistics.reset();  // the shards' times and first executions do not add up
    into.executions = into.pruned = 0;
    into.exhausted = true;
    into.interrupted = false;
    into.time_limit = false;
    into.then.clear();
    ShardSet then_on{merged.shards.count, {}};
    std::map<harness::Outcome, ClassReport> classes;
    for (const RunReport& report : reports) {
      const ScenarioReport& more = report.scenarios[i];
      if (more.path != into.path || more.scenario_hash != into.scenario_hash)
        throw std::runtime_error(fmt::format("the reports disagree on scenario {}: {} vs {}", i, into.path, more.path));
      if (more.strategy != into.strategy || more.exhaustive != into.exhaustive)
        throw std::runtime_error(fmt::format("the reports explored {} with different strategies: '{}' and '{}'",
                                             into.path, into.strategy, more.strategy));
      if (!more.then.empty()) {
        if (!into.then.empty() && into.then != more.then)
          throw std::runtime_error(fmt::format("the reports explored {} with different strategies: '{}' and '{}'",
                                               into.path, into.then, more.then));
        into.then = more.then;
        for (std::uint32_t k : more.then_on.value_or(more.shards).indices) then_on.indices.push_back(k);
      }
      into.executions += more.executions;
      into.pruned += more.pruned;
      into.exhausted = into.exhausted && more.exhausted;
      into.interrupted = into.interrupted || more.interrupted;
      into.time_limit = into.time_limit || more.time_limit;
      // Each class keeps the execution with the smallest order key, as an
      // unsharded run would.
      for (const ClassReport& c : more.classes) {
        auto [it, inserted] = classes.try_emplace(c.outcome, c);
        if (inserted) continue;
        const std::uint64_t count = it->second.count + c.count;
        if (c.order_key < it->second.order_key) it->second = c;
        it->second.count = count;
      }
    }
    std::sort(then_on.indices.begin(), then_on.indices.end());
    into.then_on = into.then.empty() || then_on.indices == merged.shards.indices ? std::nullopt
                                                                                 : std::optional<ShardSet>(then_on);
    into.classes.clear();
    for (auto& [outcome, c] : classes) into.classes.push_back(std::move(c));
    into.failures.clear();
    into.caveats.clear();
    into.judgement = Judgement::kNotJudged;
    if (!whole) {
      // Part of the space: nothing is claimed about the rest of it.
      into.exhausted = false;
      into.caveats.push_back(fmt::format("a partial merge of shards {} of {} sees part of the space",
                                         shard_list(merged.shards), merged.shards.count));
    }
    merged.scenarios.push_back(std::move(into));
  }
  return merged;
}

harness::Outcome outcome_of(const Json& entry) {
  const auto kind = harness::parse_outcome_kind(entry.at("kind").get<std::string>());
  if (!kind) throw std::runtime_error(fmt::format("unknown outcome kind {}", entry.at("kind").dump()));
  return harness::Outcome{*kind, entry.at("message").get<std::string>()};
}

}  // namespace interleave
