// Soundness of partial-order reduction on the scenario library: for every
// scenario, dfs+DPOR reaches exactly the outcome classes plain dfs reaches
// (kind, message, and for wrong results the final contents in the message),
// unbounded where plain dfs can exhaust the space, and within the
// scenario's own preemption bound otherwise; and within every preemption
// bound 0..3 (bounded dpor once missed a class of 02_bad_map_state at bound
// 2 and one of 06_delete_racing_assign at bound 1 while claiming to have
// exhausted the bounded space).
#include <catch2/catch.hpp>

#include <set>

#include "harness/explore.hpp"
#include "tests/support/explore_helpers.hpp"
#include "tools/scenario/program.hpp"
#include "tools/scenario/scenario.hpp"

using namespace harness;

namespace {
std::vector<std::string> scenario_files() { return testing::scenario_files(INTERLEAVE_SCENARIO_DIR); }

/// Explores `program` with dfs and with dpor under `bound` (none: unbounded)
/// and checks that both exhaust it with the same outcome classes, dpor in no
/// more complete executions. Returns whether the classes were the same.
bool dpor_matches_dfs(const Program& program, std::optional<std::uint32_t> bound, const std::string& label) {
  const auto [full, reduced] = testing::explore_dfs_and_dpor(program, bound, 300000);
  INFO(label << " bound " << (bound ? std::to_string(*bound) : "none") << ": dfs " << full.executions
             << " executions; dpor " << reduced.executions << " executions, " << reduced.pruned << " pruned");
  REQUIRE(full.exhausted);
  CHECK(reduced.exhausted);
  const bool same = testing::outcome_set(reduced) == testing::outcome_set(full);
  CHECK(same);
  CHECK(reduced.executions - reduced.pruned <= full.executions);
  return same;
}
}  // namespace

TEST_CASE("dpor reaches the same outcomes as dfs on every scenario", "[dpor][scenarios]") {
  const std::vector<std::string> files = scenario_files();
  REQUIRE(files.size() >= 14);
  for (const std::string& file : files) {
    const interleave::Scenario scenario = interleave::load_scenario(file);  // the program refers to it
    dpor_matches_dfs(interleave::make_program(scenario, ExploreSettings{}.max_steps), scenario.explore.preemption_bound,
                     file);
  }
}

TEST_CASE("bounded dpor reaches the outcome classes of bounded dfs on every scenario, bounds 0 to 3",
          "[dpor][scenarios]") {
  const std::vector<std::string> files = scenario_files();
  REQUIRE(files.size() >= 14);
  std::uint64_t differing = 0;
  for (const std::string& file : files) {
    const interleave::Scenario scenario = interleave::load_scenario(file);  // the program refers to it
    const Program program = interleave::make_program(scenario, ExploreSettings{}.max_steps);
    for (std::uint32_t bound = 0; bound <= 3; ++bound)
      if (!dpor_matches_dfs(program, bound, file)) ++differing;
  }
  CHECK(differing == 0);
}

