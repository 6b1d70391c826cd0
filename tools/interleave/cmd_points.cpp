// interleave points: every preemption point the scenario's goroutines reach.
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "tools/interleave/commands.hpp"
#include "tools/interleave/exit_codes.hpp"
#include "tools/scenario/program.hpp"

namespace interleave {
namespace {

/// Notes every step taken, beside the strategy (it never wraps it, so the
/// strategy's own step observer, which dpor needs, still sees every step).
class PointCounter final : public harness::StepObserver {
 public:
  std::optional<harness::Stop> observe_step(const harness::StepView& step) override {
    Seen& seen = seen_[std::string(step.operation->label)];
    seen.fibers.insert(harness::index(step.fiber));
    ++seen.steps;
    return std::nullopt;
  }

  struct Seen {
    std::set<std::uint32_t> fibers;
    std::uint64_t steps = 0;
  };
  const std::map<std::string, Seen>& seen() const { return seen_; }

 private:
  std::map<std::string, Seen> seen_;
};

}  // namespace

int cmd_points(const std::string& path, const ExploreOverrides& overrides) {
  const std::optional<Scenario> loaded = load_or_report(path);
  if (!loaded) return kExitBadInput;
  const Scenario& scenario = *loaded;
  const std::uint64_t budget = overrides.executions.value_or(scenario.explore.executions.value_or(kDefaultBudget));
  const std::optional<std::uint32_t> bound =
      overrides.preemption_bound ? overrides.preemption_bound : scenario.explore.preemption_bound;
  // Partial-order reduction keeps every reachable step: equivalent schedules
  // take the same steps in another order.
  harness::DfsStrategy dfs(harness::DfsSettings{bound, budget});
  harness::DporStrategy dpor(harness::DporSettings{bound, budget});
  const bool reduce = overrides.dpor || scenario.explore.dpor.value_or(false);
  harness::Strategy& strategy = reduce ? static_cast<harness::Strategy&>(dpor) : dfs;
  PointCounter observer;
  harness::StackPool stacks;
  harness::ExploreSettings settings;
  settings.watcher = &observer;
  settings.max_steps = overrides.max_steps.value_or(scenario.explore.max_steps.value_or(kDefaultMaxSteps));
  const harness::Report report = harness::explore(make_program(scenario, settings.max_steps), strategy, stacks, settings);

  std::cout << fmt::format("preemption points reached in {} ({} executions of dfs{}{}):\n", path,
                           grouped(report.executions), reduce ? " + dpor" : "",
                           report.exhausted ? ", every schedule" : ", the space was not exhausted: more may exist");
  const std::vector<std::string> names = goroutine_names(scenario);  // by fiber number
  std::size_t width = 10;
  for (const auto& [label, seen] : observer.seen()) width = std::max(width, label.size());
  std::cout << fmt::format("  {:<{}}  {:>12}  {}\n", "point", width, "steps taken", "goroutines");
  for (const auto& [label, seen] : observer.seen()) {
    std::string who;
    for (std::uint32_t f : seen.fibers)
      who += (who.empty() ? "" : ", ") + (f < names.size() ? names[f] : "?");
    std::cout << fmt::format("  {:<{}}  {:>12}  {}\n", label, width, grouped(seen.steps), who);
  }
  return kExitHeld;
}

}  // namespace interleave
