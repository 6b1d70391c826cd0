#include "tools/interleave/shrink.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <filesystem>
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "harness/execution.hpp"
#include "harness/explore.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/trace/atomic_file.hpp"
#include "tools/interleave/interrupt.hpp"
#include "tools/interleave/run_scenario.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {

namespace {

using namespace harness::shrink;

/// A second Ctrl-C ends shrinking at once: nothing smaller is claimed.
bool quitting() { return quit_requested().load(std::memory_order_relaxed); }

std::uint64_t max_steps_of(const harness::Trace& trace) {
  // The CLI checked the range (max_steps_of_trace) of a trace read from a file.
  return std::min(harness::provenance_number(trace, "max-steps").value_or(kDefaultMaxSteps), kMaxMaxSteps);
}

std::size_t operation_count(const Scenario& scenario) {
  std::size_t n = 0;
  for (const auto& g : scenario.goroutines) n += g.ops.size();
  return n;
}

// ---- Smaller scenarios ----

/// A top-level operation: of a goroutine, or of a map's `initial`.
struct Site {
  bool initial = false;
  std::size_t owner = 0;  ///< goroutine or map index
  std::size_t op = 0;
};

toml::array* operations_at(toml::table& root, const Site& site) {
  if (site.initial) {
    toml::table* map = nullptr;
    if (toml::table* one = root["map"].as_table()) {
      if (site.owner == 0) map = one;
    } else if (toml::array* many = root["maps"].as_array()) {
      if (site.owner < many->size()) map = (*many)[site.owner].as_table();
    }
    return map == nullptr ? nullptr : (*map)["initial"].as_array();
  }
  toml::array* goroutines = root["goroutine"].as_array();
  if (goroutines == nullptr || site.owner >= goroutines->size()) return nullptr;
  toml::table* g = (*goroutines)[site.owner].as_table();
  return g == nullptr ? nullptr : (*g)["ops"].as_array();
}

/// The scenario file parsed; nullopt if it no longer parses.
std::optional<toml::table> parsed(const std::string& path) {
  try {
    return toml::parse_file(path);
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
}

/// The operation's text as the file spells it.
std::optional<std::string> operation_text(const std::string& path, const Site& site) {
  std::optional<toml::table> root = parsed(path);
  toml::array* ops = root ? operations_at(*root, site) : nullptr;
  if (ops == nullptr || site.op >= ops->size()) return std::nullopt;
  return (*ops)[site.op].value<std::string>();
}

/// The scenario file's text with the operation replaced (nullopt: removed).
/// Comments are not kept.
std::optional<std::string> edited(const std::string& path, const Site& site,
                                  const std::optional<std::string>& replacement) {
  std::optional<toml::table> root = parsed(path);
  toml::array* ops = root ? operations_at(*root, site) : nullptr;
  if (ops == nullptr || site.op >= ops->size()) return std::nullopt;
  const auto at = ops->cbegin() + static_cast<std::ptrdiff_t>(site.op);
  if (replacement)
    ops->replace(at, *replacement);
  else
    ops->erase(at);
  std::ostringstream text;
  text << *root << "\n";
  return text.str();
}

const std::regex& loop_header() {
  static const std::regex re(R"(^(\s*for\s+[A-Za-z_]\w*\s+in\s+)(-?\d+)(\s*\.\.\s*)(-?\d+)(\s*:))");
  return re;
}

/// A `for` loop whose range is written as two numbers.
struct Loop {
  std::int64_t from = 0;
  std::int64_t to = 0;
  std::string text;
  std::string header;  ///< "for i in 0..8:"
};

std::optional<Loop> loop_of(const std::string& text) {
  std::smatch m;
  if (!std::regex_search(text, m, loop_header())) return std::nullopt;
  try {
    std::string header = m[0].str();
    header.erase(0, header.find_first_not_of(" \t"));
    return Loop{std::stoll(m[2].str()), std::stoll(m[4].str()), text, header};
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::string with_range(const Loop& loop, std::int64_t from, std::int64_t to) {
  std::smatch m;
  std::regex_search(loop.text, m, loop_header());
  return fmt::format("{}{}{}{}{}{}", m[1].str(), from, m[3].str(), to, m[5].str(), m.suffix().str());
}

std::string site_name(const Scenario& scenario, const Site& site) {
  if (site.initial) return fmt::format("map '{}' initial", scenario.maps[site.owner].params.name);
  return fmt::format("goroutine '{}'", scenario.goroutines[site.owner].name);
}

struct Counts {
  std::size_t removed = 0;
  std::size_t narrowed = 0;
  std::size_t invalid = 0;  ///< not a valid scenario (e.g. a removed `get … -> v` that a later operation reads)
  std::size_t alone = 0;    ///< fails without a preemption
  std::size_t lost = 0;     ///< does not reach the outcome with so few preemptions
  std::size_t undecided = 0;  ///< a search stopped on its budget
};

class OperationShrinker {
 public:
  OperationShrinker(Shrinker& shrinker, const Scenario& original, Schedule best, bool check_alone,
                    const std::string& scenario_out)
      : s_(shrinker), best_(std::move(best)), check_alone_(check_alone), out_(scenario_out),
        candidate_path_(scenario_out + ".candidate.toml") {
    current_ = std::make_unique<Scenario>(original);
  }
  ~OperationShrinker() {
    std::error_code ignored;
    std::filesystem::remove(candidate_path_, ignored);
  }
  OperationShrinker(const OperationShrinker&) = delete;
  OperationShrinker& operator=(const OperationShrinker&) = delete;

  /// Removes and narrows until nothing more goes.
  void run() {
    for (bool changed = true; changed && !s_.engine.spent();) {
      changed = false;
      for (std::size_t g = 0; g < current_->goroutines.size(); ++g) {
        for (std::size_t k = current_->goroutines[g].ops.size(); k-- > 0;) {
          if (s_.engine.spent()) return;
          const Site site{false, g, k};
          if (try_remove(site)) {
            changed = true;
            continue;
          }
          changed = narrow(site) || changed;
        }
      }
      for (std::size_t m = 0; m < current_->maps.size(); ++m)
        for (std::size_t k = current_->maps[m].initial.size(); k-- > 0;) changed = narrow(Site{true, m, k}) || changed;
    }
  }

  bool changed() const { return !changes_.empty(); }
  const Scenario& current() const { return *current_; }
  const Schedule& best() const { return best_; }
  const std::vector<std::string>& changes() const { return changes_; }
  const Counts& counts() const { return counts_; }

 private:
  bool try_remove(const Site& site) {
    if (!accept(site, std::nullopt)) return false;
    ++counts_.removed;
    return true;
  }

  /// Halves first, then one iteration off either end, while anything goes.
  bool narrow(const Site& site) {
    bool any = false;
    for (bool again = true; again && !s_.engine.spent();) {
      again = false;
      const std::optional<std::string> text = operation_text(current_->path, site);
      if (!text) return any;
      const std::optional<Loop> loop = loop_of(*text);
      if (!loop || loop->to - loop->from < 2) return any;
      const std::int64_t a = loop->from, b = loop->to, half = a + (b - a) / 2;
      const std::pair<std::int64_t, std::int64_t> ranges[] = {{a, half}, {half, b}, {a + 1, b}, {a, b - 1}};
      for (const auto& [from, to] : ranges) {
        if (accept(site, with_range(*loop, from, to))) {
          ++counts_.narrowed;
          any = again = true;
          break;
        }
      }
    }
    return any;
  }

  /// Tries one smaller scenario; keeps it if the failure remains, with no
  /// more preemptions, and still needs an interleaving.
  bool accept(const Site& site, const std::optional<std::string>& replacement) {
    const std::optional<std::string> before = operation_text(current_->path, site);
    const std::optional<std::string> text = edited(current_->path, site, replacement);
    if (!before || !text) return false;
    harness::write_file_atomically(candidate_path_, *text);
    auto candidate = std::make_unique<Scenario>();
    try {
      *candidate = load_scenario(candidate_path_);
    } catch (const ScenarioError&) {
      ++counts_.invalid;
      return false;
    }
    const harness::Program program = make_program(*candidate, s_.max_steps);
    const std::uint64_t bound = best_.size.preemptions;
    std::optional<Schedule> found;
    // The old schedule, followed as far as it goes: usually enough.
    if (auto run = s_.engine.guided(program, best_, plan_of(best_.fibers), s_.max_steps);
        run && run->first == s_.target && run->second.size.preemptions <= bound)
      found = std::move(run->second);
    if (check_alone_) {
      bool alone = false;
      std::uint64_t steps = s_.max_steps;
      const SearchStats stats = s_.engine.dfs(program, 0, steps, [&](const harness::Outcome& o) {
        alone = o.kind == s_.target.kind;
        return !alone;
      });
      if (alone) {
        ++counts_.alone;
        return false;
      }
      if (!stats.exhausted) {
        ++counts_.undecided;
        s_.exhaustive = false;
        return false;
      }
    }
    if (!found) {
      std::optional<std::vector<harness::Decision>> hit;
      std::uint64_t steps = s_.max_steps;
      const SearchStats stats =
          s_.engine.dfs(program, static_cast<std::uint32_t>(bound), steps, [&](const harness::Outcome& o) {
            if (o != s_.target) return true;
            hit = s_.engine.decisions();
            return false;
          });
      if (hit) found = s_.confirm(program, *hit);
      if (!found) {
        if (stats.exhausted) {
          ++counts_.lost;
        } else {
          ++counts_.undecided;
          s_.exhaustive = false;
        }
        return false;
      }
    }
    std::filesystem::rename(candidate_path_, out_);
    auto reloaded = std::make_unique<Scenario>(load_scenario(out_));
    const std::string where = site_name(*current_, site);
    if (replacement) {
      const auto old_loop = loop_of(*before);
      const auto new_loop = loop_of(*replacement);
      changes_.push_back(old_loop && new_loop ? fmt::format("{}: '{} …' -> '{} …'", where, old_loop->header,
                                                            new_loop->header)
                                              : fmt::format("{}: '{}' -> '{}'", where, *before, *replacement));
    } else {
      changes_.push_back(fmt::format("{}: removed '{}'", where, *before));
    }
    current_ = std::move(reloaded);
    best_ = std::move(*found);
    return true;
  }

  Shrinker& s_;
  Schedule best_;
  bool check_alone_;
  std::string out_;
  std::string candidate_path_;
  std::unique_ptr<Scenario> current_;  ///< a stable address: programs refer to it
  std::vector<std::string> changes_;
  Counts counts_;
};

std::string operations_note(const Counts& c, bool check_alone, const harness::Outcome& target) {
  std::vector<std::string> kept;
  if (c.alone > 0)
    kept.push_back(fmt::format("{} would end in {} without a preemption", c.alone, harness::to_string(target.kind)));
  if (c.lost > 0) kept.push_back(fmt::format("{} cannot reach the failure with no more preemptions", c.lost));
  if (c.undecided > 0) kept.push_back(fmt::format("{} not decided within the budget", c.undecided));
  if (c.invalid > 0) kept.push_back(fmt::format("{} not valid scenarios", c.invalid));
  std::string note = fmt::format("{} removed, {} narrowed", plural(c.removed, "operation", "operations"),
                                 plural(c.narrowed, "loop range", "loop ranges"));
  if (!kept.empty()) {
    note += "; smaller scenarios not taken: ";
    for (std::size_t i = 0; i < kept.size(); ++i) note += (i ? ", " : "") + kept[i];
  }
  if (!check_alone) note += "; the original fails this way without preemptions too, so that was not checked";
  return note;
}

}  // namespace

ShrinkResult shrink(const Scenario& scenario, const harness::Trace& trace, const ShrinkOptions& options) {
  ShrinkResult result;
  result.trace = trace;
  result.before = schedule_size(trace);
  result.after = result.before;
  result.phases = {phase_named("preemptions"), phase_named("steps")};
  ShrinkLimits limits = options.limits;
  limits.detect_races = limits.detect_races || harness::provenance_value(trace, "races") == "on";
  limits.stop = &quit_requested();
  Shrinker s{Engine(limits), trace.outcome, max_steps_of(trace)};
  const harness::Program program = make_program(scenario, s.max_steps);

  const Schedule original = schedule_of(trace);
  AloneFailure alone = AloneFailure::kUnknown;
  Schedule best = s.preemptions(program, original, result.phases[0], &alone);
  best = s.steps(program, std::move(best), result.phases[1]);

  const Scenario* final_scenario = &scenario;
  std::unique_ptr<OperationShrinker> operations;
  if (!options.scenario_out.empty()) {
    ShrinkPhase& phase = result.phases.emplace_back(phase_named("operations"));
    {
      PhaseTimer timer(phase, s.engine);
      phase.ran = true;
      operations = std::make_unique<OperationShrinker>(s, scenario, best, alone != AloneFailure::kYes,
                                                       options.scenario_out);
      operations->run();
      phase.note = operations_note(operations->counts(), alone != AloneFailure::kYes, trace.outcome);
      if (s.engine.spent())
        phase.note += fmt::format("; stopped: the total budget ({} executions) is spent",
                                  grouped(options.limits.total));
    }
    if (operations->changed()) {
      // The schedule again, on the smaller scenario.
      final_scenario = &operations->current();
      const harness::Program smaller = make_program(*final_scenario, s.max_steps);
      ShrinkPhase again_p = phase_named("preemptions"), again_s = phase_named("steps");
      best = s.preemptions(smaller, operations->best(), again_p, nullptr);
      best = s.steps(smaller, std::move(best), again_s);
      phase.seconds += again_p.seconds + again_s.seconds;
      phase.executions += again_p.executions + again_s.executions;
      phase.note += fmt::format("; then on the smaller scenario: {}; {}", again_p.note, again_s.note);
      result.scenario_path = options.scenario_out;
      result.operations_before = operation_count(scenario);
      result.operations_after = operation_count(*final_scenario);
      result.changes = operations->changes();
    }
  }
  result.exhaustive = s.exhaustive;
  result.executions = s.engine.used();
  if (quitting()) {  // a second Ctrl-C: keep the original, claim nothing
    ShrinkResult unchanged;
    unchanged.trace = trace;
    unchanged.before = unchanged.after = result.before;
    unchanged.phases = std::move(result.phases);
    unchanged.executions = result.executions;
    unchanged.interrupted = true;
    return unchanged;
  }

  const bool smaller_scenario = final_scenario != &scenario;
  if (!smaller_scenario && best.size.preemptions == result.before.preemptions &&
      best.size.steps >= result.before.steps)
    return result;
  const harness::Program final_program = make_program(*final_scenario, s.max_steps);
  harness::StackPool stacks;
  harness::Provenance provenance =
      harness::DfsStrategy(harness::DfsSettings{static_cast<std::uint32_t>(best.size.preemptions), 1})
          .provenance();
  provenance.emplace_back("max-steps", std::to_string(s.max_steps));
  if (limits.detect_races) provenance.emplace_back("races", "on");
  provenance.emplace_back("shrunk-from",
                          fmt::format("{} preemptions, {} steps", result.before.preemptions, result.before.steps));
  harness::Trace shrunk = harness::record_trace(final_program, stacks, best.decisions, std::move(provenance),
                                                s.max_steps);
  if (shrunk.outcome != trace.outcome) {  // not deterministic: keep the original
    result.scenario_path.reset();
    result.changes.clear();
    result.operations_after = result.operations_before;
    return result;
  }
  stamp_scenario(shrunk, *final_scenario);
  result.after = schedule_size(shrunk);
  result.trace = std::move(shrunk);
  return result;
}

ShrinkResult shrink_trace(const Scenario& scenario, const harness::Trace& trace, std::uint64_t budget_per_bound) {
  return shrink(scenario, trace, ShrinkOptions{ShrinkLimits{budget_per_bound, 4 * budget_per_bound}, {}});
}

}  // namespace interleave
