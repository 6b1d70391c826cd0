// The fixes: locked, sharded and sync.Map pass every schedule of small
// concurrent programs; the copy-on-write map loses updates and the engine
// finds it.
#include <catch2/catch.hpp>

#include <memory>

#include <fmt/format.h>

#include "harness/harness.hpp"
#include "maps/registry.hpp"
#include "maps/sync_map.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using namespace maps;

namespace {

/// Two goroutines each put their own key, read the other's, then one
/// deletes a prefilled key; the end check wants the exact final contents.
Program two_writers(const std::string& kind) {
  return Program{"fixes-" + kind, [kind] {
                   MapParams params;
                   params.shards = 2;
                   std::shared_ptr<ConcurrentMap> map = MapRegistry::global().find(kind)->make(params);
                   map->put(0, 0);
                   go("a", [map] {
                     map->put(1, 10);
                     map->get(2);
                   });
                   go("b", [map] {
                     map->put(2, 20);
                     map->erase(0);
                   });
                   check_invariants_at_end(map);
                   at_end([map] {
                     const std::vector<std::pair<Key, Value>> expected{{1, 10}, {2, 20}};
                     if (map->snapshot() != expected)
                       report_failure(OutcomeKind::kWrongResult, "final contents differ from {1:10, 2:20}");
                     if (map->len() != 2) report_failure(OutcomeKind::kWrongResult, "len is not 2");
                   });
                 }};
}

}  // namespace

TEST_CASE("mutex, rwmutex and sync maps pass every schedule", "[maps][fixes]") {
  for (const std::string kind : {"mutex", "rwmutex", "sync"}) {
    const Report report = testing::explore_dfs(two_writers(kind));
    INFO(kind << ": " << report.executions << " executions");
    CHECK(report.exhausted);
    // Each goroutine has two critical sections: at least their C(4,2) orders.
    CHECK(report.executions >= 6);
    for (const auto& c : report.classes) {
      INFO(describe(c.outcome));
      CHECK(c.outcome.ok());
    }
  }
}

TEST_CASE("the sharded map passes every schedule with up to 3 preemptions", "[maps][fixes]") {
  // Unbounded, the two shards' independent steps interleave in millions of
  // ways (3.3 M schedules): a benchmark, not a test.
  const Report report = testing::explore_dfs(two_writers("sharded"), 3);
  CHECK(report.exhausted);
  CHECK(report.executions > 100);
  CHECK(report.failures() == 0);
}

TEST_CASE("a plain Go map fails the same program", "[maps][fixes]") {
  const Report report = testing::explore_dfs(two_writers("go"), 2);
  CHECK(report.failures() > 0);
}

TEST_CASE("the copy-on-write map loses updates and never fatals", "[maps][fixes][cow]") {
  const Report report = testing::explore_dfs(two_writers("cow"));
  CHECK(report.exhausted);
  const OutcomeClass* lost = report.find(OutcomeKind::kWrongResult);
  REQUIRE(lost != nullptr);
  CHECK(report.find(OutcomeKind::kFatal) == nullptr);
  CHECK(report.find(OutcomeKind::kOk) != nullptr);
}

TEST_CASE("sync.Map: exactly one LoadOrStore wins per key", "[maps][sync]") {
  Program program{"sync-load-or-store", [] {
                    auto map = std::make_shared<SyncMap>();
                    auto results = std::make_shared<std::array<std::pair<Value, bool>, 3>>();
                    for (int g = 0; g < 3; ++g) {
                      go(fmt::format("g{}", g), [map, results, g] { (*results)[g] = map->load_or_store(7, 100 + g); });
                    }
                    at_end([map, results] {
                      int winners = 0;
                      Value winner = -1;
                      for (const auto& [value, loaded] : *results)
                        if (!loaded) ++winners, winner = value;
                      if (winners != 1) report_failure(OutcomeKind::kWrongResult, fmt::format("{} winners", winners));
                      for (const auto& [value, loaded] : *results)
                        if (value != winner) report_failure(OutcomeKind::kWrongResult, "a loser saw another value");
                      if (map->load(7) != winner) report_failure(OutcomeKind::kWrongResult, "stored value differs");
                    });
                  }};
  const Report report = testing::explore_dfs(program, 2);
  CHECK(report.exhausted);
  CHECK(report.executions > 10);
  CHECK(report.failures() == 0);
}

TEST_CASE("sync.Map promotes dirty after enough misses and expunges deleted entries", "[maps][sync]") {
  SyncMap map;
  map.store(1, 1);  // dirty holds 1; read is empty and amended
  CHECK(map.promotions() == 0);
  CHECK(map.load(1) == 1);  // a miss: misses (1) >= len(dirty) (1): promote
  CHECK(map.promotions() == 1);
  map.remove(1);             // tombstone in read (p = nil)
  map.store(2, 2);           // new key: dirtyLocked expunges the tombstone
  CHECK(map.expunged() == 1);
  CHECK(map.load(1) == std::nullopt);
  map.store(1, 5);  // unexpunge: back into dirty
  CHECK(map.load(1) == 5);
  CHECK(map.check_invariants() == std::nullopt);
  CHECK(map.snapshot() == std::vector<std::pair<Key, Value>>{{1, 5}, {2, 2}});
}
