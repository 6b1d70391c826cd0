// The Scheduler alone, without fibers: it records what the strategy chose,
// refuses an answer outside the choice as an internal bug, passes stops on,
// and shows steps to the strategy's observer before the watcher.
#include <catch2/catch.hpp>

#include <initializer_list>
#include <string>
#include <vector>

#include "harness/scheduler.hpp"

using namespace harness;

namespace {

/// Answers from a script, and observes steps (stopping at `stop_at_step`).
class Scripted final : public Strategy, private StepObserver {
 public:
  std::vector<Answer<FiberId>> fibers;
  std::vector<Answer<std::uint64_t>> values;
  std::uint64_t stop_at_step = UINT64_MAX;
  std::vector<std::uint64_t> observed;
  std::optional<Outcome> ended;

  bool begin_execution() override { return true; }
  Answer<FiberId> choose_fiber(const SchedulingChoice&) override { return take(fibers); }
  Answer<std::uint64_t> choose_data(const DataChoice&) override { return take(values); }
  std::optional<Stop> end_execution(const Outcome& outcome) override {
    ended = outcome;
    return std::nullopt;
  }
  Position position() const override { return {}; }
  Provenance provenance() const override { return {{"strategy", "scripted"}}; }
  StepObserver* step_observer() override { return this; }

 private:
  template <class T>
  static T take(std::vector<T>& script) {
    T next = script.front();
    script.erase(script.begin());
    return next;
  }
  std::optional<Stop> observe_step(const StepView& step) override {
    observed.push_back(step.step);
    if (step.step == stop_at_step) return Stop{StopKind::kRedundant, "seen"};
    return std::nullopt;
  }
};

class Watcher final : public StepObserver {
 public:
  std::vector<std::uint64_t> seen;
  std::optional<Stop> observe_step(const StepView& step) override {
    seen.push_back(step.step);
    return std::nullopt;
  }
};

FiberSet set_of(std::initializer_list<std::uint32_t> ids) {
  FiberSet set;
  for (const std::uint32_t id : ids) set.insert(FiberId{id});
  return set;
}

SchedulingChoice choice_at(std::uint64_t step, const FiberSet& runnable) {
  SchedulingChoice choice;
  choice.step = step;
  choice.runnable = runnable;
  return choice;
}

}  // namespace

TEST_CASE("the scheduler records each choice the strategy makes, in order", "[scheduler]") {
  Scripted strategy;
  strategy.fibers = {FiberId{1}, FiberId{0}};
  strategy.values = {std::uint64_t{2}};
  Scheduler scheduler;
  scheduler.begin(strategy, nullptr);
  CHECK(scheduler.choose_fiber(choice_at(0, set_of({0, 1}))).value() == FiberId{1});
  CHECK(scheduler.choose_value(DataChoice{1, 3, "value", nullptr, {}}).value() == 2);
  CHECK(scheduler.choose_fiber(choice_at(1, set_of({0, 2}))).value() == FiberId{0});
  CHECK(scheduler.decisions() == std::vector<Decision>{{Decision::Kind::kSchedule, 0, 1, 0, "", set_of({0, 1})},
                                                       {Decision::Kind::kData, 1, 2, 3, "value", {}},
                                                       {Decision::Kind::kSchedule, 1, 0, 0, "", set_of({0, 2})}});
  CHECK_FALSE(scheduler.end(Outcome{}).has_value());
  CHECK(strategy.ended == Outcome{});
  // A new run starts with no decisions.
  scheduler.begin(strategy, nullptr);
  CHECK(scheduler.decisions().empty());
}

TEST_CASE("the scheduler passes stops on and refuses answers outside the choice", "[scheduler]") {
  Scripted strategy;
  strategy.fibers = {Stop{StopKind::kRedundant, "asleep"}, FiberId{3}};
  strategy.values = {std::uint64_t{5}};
  Scheduler scheduler;
  scheduler.begin(strategy, nullptr);
  const Answer<FiberId> stopped = scheduler.choose_fiber(choice_at(0, set_of({0, 1})));
  REQUIRE_FALSE(stopped.chosen());
  CHECK(stopped.stop().kind == StopKind::kRedundant);
  const Answer<FiberId> outside = scheduler.choose_fiber(choice_at(0, set_of({0, 1})));
  REQUIRE_FALSE(outside.chosen());
  CHECK(outside.stop().kind == StopKind::kDivergence);
  CHECK(outside.stop().reason == "[interleave internal bug] strategy chose fiber 3, which is not runnable");
  const Answer<std::uint64_t> too_big = scheduler.choose_value(DataChoice{0, 2, "value", nullptr, {}});
  REQUIRE_FALSE(too_big.chosen());
  CHECK(too_big.stop().reason == "[interleave internal bug] strategy chose value 5 of 2");
  CHECK(scheduler.decisions().empty());  // nothing was chosen
}

TEST_CASE("steps go to the strategy's observer, then to the watcher, unless the observer stops", "[scheduler]") {
  Scripted strategy;
  strategy.stop_at_step = 1;
  Watcher watcher;
  Scheduler scheduler;
  CHECK_FALSE(scheduler.observes_steps());
  scheduler.begin(strategy, &watcher);
  CHECK(scheduler.observes_steps());
  StepView step;
  CHECK_FALSE(scheduler.observe_step(step).has_value());
  step.step = 1;
  const std::optional<Stop> stop = scheduler.observe_step(step);
  REQUIRE(stop.has_value());
  CHECK(stop->reason == "seen");
  CHECK(strategy.observed == std::vector<std::uint64_t>{0, 1});
  CHECK(watcher.seen == std::vector<std::uint64_t>{0});
}
