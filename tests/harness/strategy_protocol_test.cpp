// The strategy protocol: a wrapper built on ForwardingStrategy forwards every
// call (none can be forgotten), a step watcher beside the strategy sees every
// step without changing what the strategy explores (the bug that made
// `interleave points --dpor` run one execution), and stops are typed.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "examples/programs.hpp"
#include "harness/explore.hpp"
#include "harness/strategy/dfs.hpp"
#include "harness/strategy/dpor.hpp"
#include "harness/strategy/sharded.hpp"

using namespace harness;

namespace {

/// Counts the calls it receives and answers each one recognisably.
class CountingStrategy final : public Strategy, private StepObserver {
 public:
  bool begin_execution() override { return ++calls[0] > 0; }
  Answer<FiberId> choose_fiber(const SchedulingChoice&) override {
    ++calls[1];
    return FiberId{7};
  }
  Answer<std::uint64_t> choose_data(const DataChoice&) override {
    ++calls[2];
    return Stop{StopKind::kRedundant, "data"};
  }
  std::optional<Stop> end_execution(const Outcome&) override {
    ++calls[3];
    return Stop{StopKind::kOtherShard, "end"};
  }
  Position position() const override {
    ++calls[4];
    return Position{true, {1, 2}, 3};
  }
  Provenance provenance() const override {
    ++calls[5];
    return {{"strategy", "counting"}};
  }
  StepObserver* step_observer() override {
    ++calls[6];
    return this;
  }
  std::optional<Stop> observe_step(const StepView&) override { return std::nullopt; }

  mutable int calls[7] = {};
};

/// A wrapper that adds nothing: everything must reach the inner strategy.
class Transparent final : public ForwardingStrategy {
 public:
  using ForwardingStrategy::ForwardingStrategy;
};

class LabelWatcher final : public StepObserver {
 public:
  std::optional<Stop> observe_step(const StepView& step) override {
    labels.insert(std::string(step.operation->label));
    ++steps;
    return std::nullopt;
  }
  std::set<std::string> labels;
  std::uint64_t steps = 0;
};

}  // namespace

TEST_CASE("a forwarding wrapper forwards every call of the protocol", "[protocol]") {
  CountingStrategy inner;
  Transparent wrapper(inner);
  Strategy& s = wrapper;
  CHECK(s.begin_execution());
  CHECK(s.choose_fiber(SchedulingChoice{}).value() == FiberId{7});
  const Answer<std::uint64_t> data = s.choose_data(DataChoice{});
  REQUIRE_FALSE(data.chosen());
  CHECK(data.stop().kind == StopKind::kRedundant);
  const std::optional<Stop> end = s.end_execution(Outcome{});
  REQUIRE(end);
  CHECK(end->kind == StopKind::kOtherShard);
  const Position position = s.position();
  CHECK(position.exhausted);
  CHECK(position.order_key == std::vector<std::uint64_t>{1, 2});
  CHECK(position.execution_number == 3u);
  CHECK(s.provenance().front().second == "counting");
  CHECK(s.step_observer() != nullptr);
  for (int i = 0; i < 7; ++i) {
    INFO("protocol call " << i);
    CHECK(inner.calls[i] == 1);
  }
}

TEST_CASE("a step watcher beside dpor sees every step and changes nothing it explores", "[protocol][dpor]") {
  const Program program = examples::lost_update(2, false);
  StackPool stacks;
  DporStrategy plain;
  const Report alone = explore(program, plain, stacks, ExploreSettings{});

  DporStrategy watched;
  LabelWatcher watcher;
  ExploreSettings settings;
  settings.watcher = &watcher;
  const Report with_watcher = explore(program, watched, stacks, settings);
  CHECK(with_watcher.exhausted);
  CHECK(with_watcher.executions == alone.executions);
  CHECK(with_watcher.pruned == alone.pruned);
  CHECK(with_watcher.executions > 1);

  // The points of every schedule: the same labels as plain dfs reaches.
  DfsStrategy dfs;
  LabelWatcher dfs_watcher;
  settings.watcher = &dfs_watcher;
  explore(program, dfs, stacks, settings);
  CHECK(watcher.labels == dfs_watcher.labels);
  CHECK(watcher.steps > 0);
}

TEST_CASE("a stop from a strategy has its kind: redundant runs are pruned, other shards are not counted",
          "[protocol]") {
  const Program program = examples::lost_update(1, false);
  StackPool stacks;
  // Shard 1 of 2: the executions of shard 0 end as kOtherShard and are not
  // counted; the two shards add up to the whole space.
  DfsStrategy first_tree, second_tree;
  ShardedStrategy first(first_tree, Shard{0, 2, 0, 1});
  ShardedStrategy second(second_tree, Shard{1, 2, 0, 1});
  DfsStrategy whole;
  const Report a = explore(program, first, stacks, ExploreSettings{});
  const Report b = explore(program, second, stacks, ExploreSettings{});
  const Report all = explore(program, whole, stacks, ExploreSettings{});
  CHECK(a.executions + b.executions == all.executions);
  CHECK(a.pruned == 0);
  CHECK(b.pruned == 0);
}
