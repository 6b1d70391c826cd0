// Time to first bug: for every scenario whose expectation is to reach a
// failure, the number of executions each strategy runs until the first
// execution that ends in one of the expected failures (sleep-set-blocked runs
// of dfs+dpor included). random and pct: the median over 20 seeds.
// Usage: time_to_first_bug [SCENARIO_DIR]   (default: scenarios)
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "harness/execution.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/pct.hpp"
#include "harness/strategy/random_walk.hpp"
#include "tools/scenario/patterns.hpp"
#include "tools/scenario/program.hpp"

namespace {

constexpr std::uint64_t kCap = 200000;
constexpr int kSeeds = 20;

/// Executions until the first expected failure; kCap + 1 if none.
std::uint64_t executions_to_failure(const harness::Program& program, harness::Strategy& strategy,
                                    const std::vector<std::string>& failures) {
  harness::StackPool stacks;
  harness::Execution execution(stacks);
  std::uint64_t count = 0;
  while (count < kCap && strategy.begin_execution()) {
    const harness::Outcome& outcome = execution.run(program, strategy, harness::ExecutionSettings{10000, false});
    ++count;
    for (const std::string& pattern : failures)
      if (interleave::pattern_matches(pattern, outcome)) return count;
  }
  return kCap + 1;
}

std::string shown(std::uint64_t n) { return n > kCap ? "not found" : std::to_string(n); }

std::uint64_t median_over_seeds(const std::function<std::uint64_t(std::uint64_t)>& run) {
  std::vector<std::uint64_t> results;
  for (int seed = 1; seed <= kSeeds; ++seed) results.push_back(run(static_cast<std::uint64_t>(seed)));
  std::sort(results.begin(), results.end());
  return results[results.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "scenarios";
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  std::printf("executions until the first expected failure (cap %llu; random and pct: median of %d seeds)\n\n",
              static_cast<unsigned long long>(kCap), kSeeds);
  std::printf("| scenario | failure | dfs | dfs+dpor | random | pct d=3 |\n|---|---|---|---|---|---|\n");
  for (const std::string& file : files) {
    const interleave::Scenario scenario = interleave::load_scenario(file);
    std::vector<std::string> failures;
    for (const std::string& pattern : scenario.expect.reach)
      if (!interleave::pattern_matches(pattern, harness::Outcome{})) failures.push_back(pattern);
    if (failures.empty()) continue;
    const harness::Program program = interleave::make_program(scenario, 10000);
    const auto bound = scenario.explore.preemption_bound;
    harness::DfsStrategy dfs(harness::DfsSettings{bound, UINT64_MAX});
    harness::DporStrategy dpor(harness::DporSettings{bound, UINT64_MAX});
    const std::uint64_t by_dfs = executions_to_failure(program, dfs, failures);
    const std::uint64_t by_dpor = executions_to_failure(program, dpor, failures);
    const std::uint64_t by_random = median_over_seeds([&](std::uint64_t seed) {
      harness::RandomWalkStrategy random(seed, kCap);
      return executions_to_failure(program, random, failures);
    });
    const std::uint64_t by_pct = median_over_seeds([&](std::uint64_t seed) {
      harness::PctStrategy pct(seed, kCap, 3);
      return executions_to_failure(program, pct, failures);
    });
    std::string wanted;
    for (const auto& f : failures) wanted += (wanted.empty() ? "" : ", ") + f;
    std::printf("| %s | %s | %s | %s | %s | %s |\n", scenario.name.c_str(), wanted.c_str(), shown(by_dfs).c_str(),
                shown(by_dpor).c_str(), shown(by_random).c_str(), shown(by_pct).c_str());
  }
  return 0;
}
