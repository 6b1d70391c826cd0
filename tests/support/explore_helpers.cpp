#include "tests/support/explore_helpers.hpp"

#include <filesystem>

#include <unistd.h>

#include "harness/strategy/dfs.hpp"

namespace harness::testing {

Report explore_dfs(const Program& program, std::optional<std::uint32_t> preemption_bound) {
  StackPool stacks;
  DfsStrategy dfs(DfsSettings{preemption_bound, UINT64_MAX});
  return explore(program, dfs, stacks, ExploreSettings{});
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
