// Go's best-effort checks, explored with dfs on two goroutines: each fatal
// message is reached by the story that should reach it and only there, and
// what the checks miss shows up as silent corruption.
#include <catch2/catch.hpp>

#include <memory>

#include "harness/harness.hpp"
#include "maps/go/go_map.hpp"
#include "maps/registry.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using namespace maps;
using Catch::Matchers::Contains;

namespace {

const Outcome kWrites{OutcomeKind::kFatal, "concurrent map writes"};
const Outcome kReadWrite{OutcomeKind::kFatal, "concurrent map read and map write"};
const Outcome kIterWrite{OutcomeKind::kFatal, "concurrent map iteration and map write"};

bool reached(const Report& report, const Outcome& outcome) {
  for (const auto& c : report.classes)
    if (c.outcome == outcome) return true;
  return false;
}
bool reached_kind(const Report& report, OutcomeKind kind) { return report.find(kind) != nullptr; }

/// A Go map with `prefill` keys (0..prefill-1) put in setup, and goroutines.
Program go_program(std::string name, GoMapOptions options, int prefill,
                   std::vector<std::pair<std::string, std::function<void(GoMap&)>>> goroutines) {
  return Program{std::move(name), [options, prefill, goroutines] {
                   auto map = std::make_shared<GoMap>(options);
                   for (Key k = 0; k < prefill; ++k) map->mapassign(k, k);
                   for (const auto& goroutine : goroutines)
                     go(goroutine.first, [map, body = goroutine.second] { body(*map); });
                   check_invariants_at_end(map);
                 }};
}

}  // namespace

TEST_CASE("story 1: a writer and a reader reach 'concurrent map read and map write'", "[maps][races]") {
  const Report report = testing::explore_dfs(go_program("writer-reader", {}, 1,
                                                        {{"writer", [](GoMap& m) { m.mapassign(100, 1); }},
                                                         {"reader", [](GoMap& m) { m.mapaccess(0); }}}));
  CHECK(report.exhausted);
  CHECK(reached(report, kReadWrite));
  CHECK(reached(report, Outcome{}));
  CHECK_FALSE(reached(report, kWrites));
  CHECK_FALSE(reached(report, kIterWrite));
  CHECK_FALSE(reached_kind(report, OutcomeKind::kCorruption));
}

TEST_CASE("a reader that passed its check before the writer started is never reported", "[maps][races]") {
  // The reader checks once, at entry; the writer starts only after it.
  Program program{"reader-first", [] {
                    auto map = std::make_shared<GoMap>(GoMapOptions{});
                    map->mapassign(0, 0);
                    auto checked = std::make_shared<bool>(false);
                    go("reader", [map, checked] {
                      map->mapaccess(0);
                      *checked = true;
                    });
                    go("writer", [map] { map->mapassign(100, 1); });
                  }};
  const Report report = testing::explore_dfs(program, 1);
  // Some schedules fatal, but every fatal has the writer flag seen at the
  // reader's entry: schedules where the reader entered first all pass.
  for (const auto& c : report.classes) {
    if (c.outcome.ok()) continue;
    REQUIRE(c.outcome == kReadWrite);
    const auto& events = c.first_trace.events;
    std::size_t reader_entry = 0, writer_set = events.size();
    for (std::size_t i = 0; i < events.size(); ++i) {
      if (events[i].label == "mapaccess.check-writing") reader_entry = i;
      if (events[i].label == "mapassign.set-writing.store" && writer_set == events.size()) writer_set = i;
    }
    CHECK(writer_set < reader_entry);
  }
  CHECK(reached(report, kReadWrite));
}

TEST_CASE("story 2: two writers reach 'concurrent map writes' and silent corruption", "[maps][races]") {
  // Disjoint keys in the same bucket (B = 0): when both flag updates
  // interleave (both read 0, both store 4), both re-checks pass and both
  // take the same free slot: one key is lost and count is wrong.
  const Report report = testing::explore_dfs(go_program("writer-writer", {}, 1,
                                                        {{"w1", [](GoMap& m) { m.mapassign(1, 1); }},
                                                         {"w2", [](GoMap& m) { m.mapassign(2, 2); }}}));
  CHECK(report.exhausted);
  CHECK(reached(report, kWrites));
  CHECK(reached(report, Outcome{}));
  const OutcomeClass* corruption = report.find(OutcomeKind::kCorruption);
  REQUIRE(corruption != nullptr);
  CHECK_THAT(corruption->outcome.message, Contains("count is 3 but 2 keys are reachable"));
  CHECK_FALSE(reached(report, kReadWrite));
  CHECK_FALSE(reached(report, kIterWrite));
}

TEST_CASE("story 3: range while another goroutine writes reaches the iteration fatal", "[maps][races]") {
  GoMapOptions options;
  options.explore_iteration_start = false;
  const Report report = testing::explore_dfs(go_program("range-write", options, 2,
                                                        {{"ranger", [](GoMap& m) { m.maprange([](Key, Value) { return true; }); }},
                                                         {"writer", [](GoMap& m) { m.mapassign(100, 1); }}}));
  CHECK(report.exhausted);
  CHECK(reached(report, kIterWrite));
  CHECK(reached(report, Outcome{}));
  CHECK_FALSE(reached(report, kWrites));
  CHECK_FALSE(reached(report, kReadWrite));
}

TEST_CASE("story 6: delete racing with assign", "[maps][races]") {
  // Deleting the only key empties the map, which re-randomises hash0 under
  // the racing writer's feet: its key lands with a stale tophash.
  const Report report = testing::explore_dfs(go_program("delete-assign", {}, 1,
                                                        {{"deleter", [](GoMap& m) { m.mapdelete(0); }},
                                                         {"writer", [](GoMap& m) { m.mapassign(100, 1); }}}));
  CHECK(report.exhausted);
  CHECK(reached(report, kWrites));
  CHECK(reached(report, Outcome{}));
  CHECK(reached_kind(report, OutcomeKind::kCorruption));
  CHECK_FALSE(reached(report, kReadWrite));
}

TEST_CASE("story 7: len racing with writes never fatals", "[maps][races]") {
  const Report report = testing::explore_dfs(go_program("len-write", {}, 1,
                                                        {{"writer", [](GoMap& m) { m.mapassign(1, 1); m.mapdelete(0); }},
                                                         {"len", [](GoMap& m) { m.maplen(); m.maplen(); }}}));
  CHECK(report.exhausted);
  REQUIRE(report.classes.size() == 1);
  CHECK(report.classes[0].outcome.ok());
}

TEST_CASE("story 8: GOMAXPROCS=1 still dies when a writer grows the map", "[maps][races]") {
  GoMapOptions options;
  options.single_processor = true;
  // 8 keys fill B=0: the next new key starts hashGrow, which allocates with
  // hashWriting set; the other writer's entry check then sees it.
  const Report growing = testing::explore_dfs(go_program("gomaxprocs1-grow", options, 8,
                                                         {{"w1", [](GoMap& m) { m.mapassign(100, 1); }},
                                                          {"w2", [](GoMap& m) { m.mapassign(200, 2); }}}));
  CHECK(growing.exhausted);
  CHECK(reached(growing, kWrites));
  const OutcomeClass* fatal = growing.find(OutcomeKind::kFatal);
  REQUIRE(fatal != nullptr);
  // The fatal step's log names where the other writer is parked.
  CHECK_THAT(fatal->first_trace.events.back().detail, Contains("'w1' is at hashGrow.makeBucketArray"));

  // Without growth there is no allocation point inside a write: no fatal.
  const Report small = testing::explore_dfs(go_program("gomaxprocs1-small", options, 1,
                                                       {{"w1", [](GoMap& m) { m.mapassign(100, 1); }},
                                                        {"w2", [](GoMap& m) { m.mapassign(200, 2); }}}));
  CHECK(small.exhausted);
  REQUIRE(small.classes.size() == 1);
  CHECK(small.classes[0].outcome.ok());
}

TEST_CASE("story 4/5: the nil-map panic is recoverable, the fatal is not", "[maps][panic]") {
  GoMapOptions nil_options;
  nil_options.nil = true;
  Program unrecovered{"nil-assign", [nil_options] {
                        auto map = std::make_shared<GoMap>(nil_options);
                        go("g", [map] { map->mapassign(1, 1); });
                      }};
  const Report dies = testing::explore_dfs(unrecovered);
  REQUIRE(dies.classes.size() == 1);
  CHECK(dies.classes[0].outcome == Outcome{OutcomeKind::kPanic, "assignment to entry in nil map"});

  auto survived = std::make_shared<int>(0);
  Program recovered{"nil-assign-recover", [nil_options, survived] {
                      auto map = std::make_shared<GoMap>(nil_options);
                      go("g", [map, survived] {
                        try {
                          map->mapassign(1, 1);
                        } catch (const Panic&) {  // defer func() { recover() }()
                        }
                        ++*survived;
                      });
                    }};
  const Report lives = testing::explore_dfs(recovered);
  REQUIRE(lives.classes.size() == 1);
  CHECK(lives.classes[0].outcome.ok());
  CHECK(*survived == 1);

  // Two writers that recover: the fatal still ends the execution.
  const Report fatal = testing::explore_dfs(go_program("recover-writes", {}, 1,
                                                       {{"w1",
                                                         [](GoMap& m) {
                                                           try {
                                                             m.mapassign(1, 1);
                                                           } catch (const Panic&) {
                                                           }
                                                         }},
                                                        {"w2",
                                                         [](GoMap& m) {
                                                           try {
                                                             m.mapassign(2, 2);
                                                           } catch (const Panic&) {
                                                           }
                                                         }}}));
  CHECK(reached(fatal, kWrites));
}
