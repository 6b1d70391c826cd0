#include "tests/support/explore_helpers.hpp"

#include <algorithm>
#include <filesystem>

#include <unistd.h>

#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/stateful.hpp"

namespace harness::testing {

Report explore_dfs(const Program& program, std::optional<std::uint32_t> preemption_bound) {
  StackPool stacks;
  DfsStrategy dfs(DfsSettings{preemption_bound, UINT64_MAX});
  return explore(program, dfs, stacks, ExploreSettings{});
}

Report explore_dpor(const Program& program, std::optional<std::uint32_t> bound) {
  StackPool stacks;
  DporStrategy dpor(DporSettings{bound, UINT64_MAX});
  return explore(program, dpor, stacks, ExploreSettings{});
}

DfsAndDpor explore_dfs_and_dpor(const Program& program, std::optional<std::uint32_t> bound, std::uint64_t dfs_cap) {
  StackPool stacks;
  DfsStrategy dfs(DfsSettings{bound, dfs_cap});
  DfsAndDpor both;
  both.dfs = explore(program, dfs, stacks, ExploreSettings{});
  both.dpor = explore_dpor(program, bound);
  return both;
}

Report explore_stateful(const Program& program, std::uint64_t* states, std::string* unknown, std::uint64_t max_steps) {
  StackPool stacks;
  DfsStrategy dfs(DfsSettings{std::nullopt, UINT64_MAX});
  StatefulStrategy stateful(dfs);
  ExploreSettings settings;
  settings.track_state = true;
  settings.max_steps = max_steps;
  Report report = explore(program, stateful, stacks, settings);
  if (states != nullptr) *states = stateful.states();
  if (unknown != nullptr) *unknown = stateful.unknown_states() > 0 ? stateful.untracked_reason() : std::string();
  return report;
}

std::vector<std::string> scenario_files(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::set<Outcome> outcome_set(const Report& report) {
  std::set<Outcome> set;
  for (const auto& c : report.classes) set.insert(c.outcome);
  return set;
}

std::uint64_t binomial(std::uint64_t n, std::uint64_t k) {
  if (k > n) return 0;
  std::uint64_t result = 1;
  for (std::uint64_t i = 1; i <= k; ++i) result = result * (n - k + i) / i;  // exact at every step
  return result;
}

std::string temp_dir(const std::string& name) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("interleave-test-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

}  // namespace harness::testing
