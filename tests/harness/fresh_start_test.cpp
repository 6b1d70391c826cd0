// ExploreSettings::check_fresh_start: a program that keeps state between
// executions is reported (Report::warnings), whether the state changes at
// every execution or only after the first; one that starts afresh is not,
// and without the setting nothing runs twice.
#include <catch2/catch.hpp>

#include <memory>

#include "harness/explore.hpp"
#include "harness/harness.hpp"
#include "harness/parallel.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/sync/atomic.hpp"

using namespace harness;

namespace {

int g_every_run = 0;         // changes at every execution
bool g_initialised = false;  // changes once, at the first

/// One goroutine stores to a flag once, or twice when `twice()` says so.
Program storing(const char* name, std::function<void()> setup, std::function<bool()> twice) {
  return Program{name, [setup, twice] {
                   setup();
                   auto flag = std::make_shared<Atomic<int>>(0, "flag");
                   const bool two = twice();
                   go("a", [flag, two] {
                     if (two) flag->store(1);
                     flag->store(2);
                   });
                 }};
}

Report explore_checked(const Program& program, bool check) {
  StackPool stacks;
  DfsStrategy dfs;
  ExploreSettings settings;
  settings.check_fresh_start = check;
  return explore(program, dfs, stacks, settings);
}

}  // namespace

TEST_CASE("state that changes at every execution: the program does not start afresh", "[fresh-start]") {
  const Program program = storing("every-run", [] { ++g_every_run; }, [] { return g_every_run % 2 == 1; });
  const Report report = explore_checked(program, true);
  REQUIRE(report.warnings.size() == 1);
  CHECK_THAT(report.warnings.front(), Catch::Matchers::Contains("'every-run' does not start afresh"));
  CHECK(explore_checked(program, false).warnings.empty());
}

TEST_CASE("state set by the first execution only: its schedule, run again, ends otherwise", "[fresh-start]") {
  g_initialised = false;
  const Program program = storing("first-run", [] {}, [] {
    const bool first = !g_initialised;
    g_initialised = true;
    return first;
  });
  const Report report = explore_checked(program, true);
  REQUIRE(report.warnings.size() == 1);
  CHECK_THAT(report.warnings.front(), Catch::Matchers::Contains("its first schedule, run again"));
}

TEST_CASE("a program whose setup builds everything anew draws no warning", "[fresh-start]") {
  const Program program = storing("fresh", [] {}, [] { return false; });
  const Report report = explore_checked(program, true);
  CHECK(report.warnings.empty());
  CHECK(report.executions == 1);  // the two checking runs are not counted
}
