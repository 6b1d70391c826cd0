// A stop request (Ctrl-C) ends the execution under way: at its next
// preemption point, or at harness::interruption_point() in code that loops
// without one. The cut execution is not counted; recordings are never cut.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "harness/explore.hpp"
#include "harness/harness.hpp"
#include "harness/strategy/dfs.hpp"

using namespace harness;

namespace {
/// Explores `program` with dfs and asks it to stop after 100 ms.
Report explore_and_stop(const Program& program) {
  std::atomic<bool> stop{false};
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    stop = true;
  });
  DfsStrategy dfs;
  StackPool stacks;
  ExploreSettings settings;
  settings.max_steps = UINT64_MAX;
  settings.stop = &stop;
  Report report = explore(program, dfs, stacks, settings);
  stopper.join();
  return report;
}
}  // namespace

TEST_CASE("a stop request ends a loop that reaches no preemption point", "[interrupt]") {
  Program program{"spin", [] {
                    go("spinner", [] {
                      point("start");
                      for (;;) interruption_point();
                    });
                  }};
  const Report report = explore_and_stop(program);
  CHECK(report.interrupted);
  CHECK(report.executions == 0);
  CHECK(report.classes.empty());
}

TEST_CASE("a stop request ends a long execution at its next preemption point", "[interrupt]") {
  Program program{"long", [] {
                    go("a", [] {
                      for (;;) point("a.step");
                    });
                    go("b", [] { point("b.step"); });
                  }};
  const Report report = explore_and_stop(program);
  CHECK(report.interrupted);
  CHECK(report.executions == 0);
}

TEST_CASE("interruption_point is a no-op without a stop request", "[interrupt]") {
  int iterations = 0;
  Program program{"finite", [&iterations] {
                    go("g", [&iterations] {
                      point("start");
                      for (int i = 0; i < 1000; ++i, ++iterations) interruption_point();
                    });
                  }};
  std::atomic<bool> stop{false};
  DfsStrategy dfs;
  StackPool stacks;
  ExploreSettings settings;
  settings.stop = &stop;
  const Report report = explore(program, dfs, stacks, settings);
  CHECK_FALSE(report.interrupted);
  CHECK(report.executions == 1);
  CHECK(iterations == 1000);
  interruption_point();  // outside an execution: nothing happens
}
