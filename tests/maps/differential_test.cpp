// Sequential differential test: a long seeded random sequence of operations
// on every map kind, against std::map. Runs outside any execution, so the
// models run plainly (points are no-ops). Keys range widely enough to grow
// a Go map through several doublings, with deletes, clears and iterations.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "harness/rng.hpp"
#include "maps/go/go_map.hpp"
#include "maps/registry.hpp"

using namespace maps;

namespace {

void run_differential(const std::string& kind, std::uint64_t seed, int operations) {
  MapParams params;
  params.hash_seed = static_cast<std::uint32_t>(seed);
  std::unique_ptr<ConcurrentMap> map = MapRegistry::global().find(kind)->make(params);
  std::map<Key, Value> model;
  harness::Rng rng(seed);
  std::size_t peak = 0;
  for (int step = 0; step < operations; ++step) {
    INFO(kind << " step " << step);
    const Key key = static_cast<Key>(rng.below(400));
    const Value value = static_cast<Value>(rng.below(1000));
    const std::uint64_t op = rng.below(100);
    if (op < 45) {
      map->put(key, value);
      model[key] = value;
    } else if (op < 65) {
      auto it = model.find(key);
      const std::optional<Value> expected = it == model.end() ? std::nullopt : std::optional<Value>(it->second);
      REQUIRE(map->get(key) == expected);
    } else if (op < 80) {
      map->erase(key);
      model.erase(key);
    } else if (op < 87) {
      auto [actual, loaded] = map->get_or_put(key, value);
      auto [it, inserted] = model.try_emplace(key, value);
      REQUIRE(loaded == !inserted);
      REQUIRE(actual == it->second);
    } else if (op < 94) {
      auto it = model.find(key);
      const std::optional<Value> expected = it == model.end() ? std::nullopt : std::optional<Value>(it->second);
      REQUIRE(map->get_and_delete(key) == expected);
      model.erase(key);
    } else if (op < 99) {
      std::map<Key, Value> seen;
      map->range([&](Key k, Value v) {
        REQUIRE(seen.emplace(k, v).second);  // each key once
        return true;
      });
      REQUIRE(seen == model);
    } else if (rng.below(4) == 0) {
      map->clear();
      model.clear();
    }
    peak = std::max(peak, model.size());
    REQUIRE(map->len() == static_cast<std::int64_t>(model.size()));
    if (step % 64 == 0) {
      REQUIRE(map->check_invariants() == std::nullopt);
      REQUIRE(map->snapshot() == std::vector<std::pair<Key, Value>>(model.begin(), model.end()));
    }
  }
  REQUIRE(map->check_invariants() == std::nullopt);
  CHECK(peak > 100);  // enough keys to grow past several doublings
}

}  // namespace

TEST_CASE("every map kind agrees with std::map on a long random sequence", "[maps][differential]") {
  for (const std::string& kind : MapRegistry::global().names()) {
    for (std::uint64_t seed : {1u, 2u, 3u}) run_differential(kind, seed, 6000);
  }
}

TEST_CASE("a Go map grows through several doublings and its iteration stays exact", "[maps][go]") {
  GoMap map(GoMapOptions{});
  std::set<std::uint8_t> sizes_seen;
  bool iterated_mid_growth = false;
  for (Key k = 0; k < 2000; ++k) {
    map.mapassign(k, k * 2);
    sizes_seen.insert(map.header().B);
    if (map.growing() && k % 7 == 0) {
      // Half-evacuated: every present key exactly once, with its value.
      std::map<Key, int> visits;
      map.maprange([&](Key key, Value value) {
        CHECK(value == key * 2);
        ++visits[key];
        return true;
      });
      REQUIRE(visits.size() == static_cast<std::size_t>(k + 1));
      for (const auto& [key, times] : visits) REQUIRE(times == 1);
      iterated_mid_growth = true;
    }
  }
  CHECK(iterated_mid_growth);
  // 2000 keys need 2000/6.5 > 256 buckets: B went 0, 1, …, 9.
  CHECK(sizes_seen.size() == 10);
  CHECK(map.header().B == 9);
  CHECK(map.check_invariants() == std::nullopt);
}

TEST_CASE("Go map growth thresholds follow overLoadFactor", "[maps][go]") {
  // A new key grows the map when count+1 overloads it: at B=0 the 9th key
  // (9 > 8), at B=1 the 14th (14 > 13 = 6.5 * 2).
  GoMap map(GoMapOptions{});
  for (Key k = 0; k < 8; ++k) map.mapassign(k, k);
  CHECK(map.header().B == 0);
  map.mapassign(8, 8);
  CHECK(map.header().B == 1);
  for (Key k = 9; k < 13; ++k) map.mapassign(k, k);
  CHECK(map.header().B == 1);
  map.mapassign(13, 13);
  CHECK(map.header().B == 2);
  map.mapassign(13, 99);  // an overwrite never grows
  CHECK(map.header().B == 2);
}

TEST_CASE("deleting during iteration: deleted keys not yet reached are not produced", "[maps][go]") {
  GoMap map(GoMapOptions{});
  for (Key k = 0; k < 50; ++k) map.mapassign(k, k);
  std::map<Key, int> position;  // order of production
  map.maprange([&](Key key, Value) {
    CHECK(position.emplace(key, static_cast<int>(position.size())).second);  // never twice
    if (key % 2 == 0) map.mapdelete(key + 1);  // legal in Go: the same goroutine
    return true;
  });
  for (Key even = 0; even < 50; even += 2) {
    REQUIRE(position.count(even) == 1);  // never deleted: always produced
    // The odd key appears only if it came before its even partner deleted it.
    if (position.count(even + 1)) CHECK(position[even + 1] < position[even]);
    CHECK(map.mapaccess(even + 1) == std::nullopt);
  }
  CHECK(map.maplen() == 25);
  CHECK(map.check_invariants() == std::nullopt);
}

TEST_CASE("a nil Go map reads as empty and panics on assignment", "[maps][go]") {
  GoMapOptions options;
  options.nil = true;
  GoMap map(options);
  CHECK(map.mapaccess(1) == std::nullopt);
  CHECK(map.maplen() == 0);
  map.mapdelete(1);
  int visited = 0;
  map.maprange([&](Key, Value) { return ++visited, true; });
  CHECK(visited == 0);
  try {
    map.mapassign(1, 1);
    FAIL("assignment to a nil map must panic");
  } catch (const harness::Panic& panic) {
    CHECK(panic.message == "assignment to entry in nil map");
  }
}
