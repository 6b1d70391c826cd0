// Growth under races: two writers that both grow a plain Go map, explored
// exhaustively (bounded) and by random walks, end only in outcome classes Go
// itself has (or silent corruption), never in anything the model's own
// memory could make up; Go's throw "bad map state" is reachable; the checked
// heap turns wild accesses into outcomes; the first bucket allocation is a
// point even with GOMAXPROCS=1; and the same seed gives the same bytes.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "harness/harness.hpp"
#include "harness/strategy/random_walk.hpp"
#include "maps/go/go_map.hpp"
#include "maps/go/heap.hpp"
#include "maps/registry.hpp"
#include "tests/support/explore_helpers.hpp"

using namespace harness;
using namespace maps;

namespace {

const std::string kNilDereference = "runtime error: invalid memory address or nil pointer dereference";

#if defined(__SANITIZE_ADDRESS__)
constexpr std::uint64_t kRandomWalks = 10'000;  // ASan runs about ten times slower
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr std::uint64_t kRandomWalks = 10'000;
#else
constexpr std::uint64_t kRandomWalks = 100'000;
#endif
#else
constexpr std::uint64_t kRandomWalks = 100'000;
#endif

/// A full single bucket (keys 0..7) and writers that each insert `per_writer`
/// new keys, so that each of them may start a growth.
Program growing_writers(int writers, int per_writer, bool single_processor, int prefill = 8) {
  GoMapOptions options;
  options.hash_seed = 1;
  options.single_processor = single_processor;
  return Program{"growing-writers", [=] {
                   auto map = std::make_shared<GoMap>(options);
                   for (Key k = 0; k < prefill; ++k) map->mapassign(k, k);
                   for (int w = 0; w < writers; ++w)
                     go("w" + std::to_string(w + 1), [map, w, per_writer] {
                       for (Key k = 0; k < per_writer; ++k) map->mapassign(100 * (w + 1) + k, k);
                     });
                   check_invariants_at_end(map);
                 }};
}

/// Go's classes for a racing plain map, plus silent corruption.
bool is_go_class(const Outcome& outcome) {
  switch (outcome.kind) {
    case OutcomeKind::kOk: return outcome.message.empty();
    case OutcomeKind::kFatal:
      return outcome.message == "concurrent map writes" || outcome.message == "bad map state";
    case OutcomeKind::kPanic: return outcome.message == kNilDereference;
    case OutcomeKind::kCorruption: return true;
    default: return false;
  }
}

Report explore_random(const Program& program, std::uint64_t seed, std::uint64_t executions) {
  StackPool stacks;
  RandomWalkStrategy random(seed, executions);
  return explore(program, random, stacks, ExploreSettings{});
}

std::string describe_report(const Report& report) {
  std::string text;
  for (const auto& c : report.classes)
    text += std::to_string(c.count) + " " + describe(c.outcome) + "\n" + write_trace(c.first_trace);
  return text;
}

}  // namespace

TEST_CASE("two writers that both grow the map end in Go's classes only (dfs, bound 3)", "[maps][growth]") {
  for (const bool single : {false, true}) {
    const Report report = testing::explore_dfs(growing_writers(2, 4, single), 3);
    INFO("single_processor=" << single << ", " << report.executions << " executions");
    CHECK(report.exhausted);
    for (const auto& c : report.classes) {
      INFO(describe(c.outcome));
      CHECK(is_go_class(c.outcome));
    }
    CHECK(report.find(OutcomeKind::kFatal) != nullptr);
  }
}

TEST_CASE("two writers that both grow the map end in Go's classes only (random walks)", "[maps][growth]") {
  for (const bool single : {false, true}) {
    const Report report = explore_random(growing_writers(2, 4, single), 7, kRandomWalks);
    INFO("single_processor=" << single);
    CHECK(report.executions == kRandomWalks);
    for (const auto& c : report.classes) {
      INFO(describe(c.outcome));
      CHECK(is_go_class(c.outcome));
    }
  }
  // Three writers, more keys: growth to B=2 and beyond, racing.
  const Report three = explore_random(growing_writers(3, 10, false), 11, kRandomWalks / 10);
  for (const auto& c : three.classes) {
    INFO(describe(c.outcome));
    CHECK(is_go_class(c.outcome));
  }
}

TEST_CASE("Go's throw 'bad map state' is reachable: two writers evacuate the same old bucket", "[maps][growth]") {
  const Report report = testing::explore_dfs(growing_writers(2, 1, false), 3);
  const OutcomeClass* bad = nullptr;
  for (const auto& c : report.classes)
    if (c.outcome == Outcome{OutcomeKind::kFatal, "bad map state"}) bad = &c;
  REQUIRE(bad != nullptr);
  // Both writers passed evacuate's check on the same old bucket before the
  // first one moved its slots; the second then met the marks.
  int checks = 0, moves = 0;
  for (const Event& event : bad->first_trace.events) {
    checks += event.label == "evacuate";
    moves += event.label == "evacuate.bucket";
  }
  CHECK(checks >= 2);
  CHECK(moves >= 2);
  CHECK(bad->first_trace.events.back().label == "evacuate.bucket");
  // Not reachable without the overlap Go misses: one writer alone never throws.
  const Report alone = testing::explore_dfs(growing_writers(1, 2, false));
  REQUIRE(alone.classes.size() == 1);
  CHECK(alone.classes[0].outcome.ok());
}

TEST_CASE("GOMAXPROCS=1: the first bucket allocation of a map without a size hint is a point", "[maps][growth]") {
  // An empty map (no buckets yet): the first assignment allocates the bucket
  // with hashWriting set; a GC there parks the writer.
  const Report report = testing::explore_dfs(growing_writers(2, 1, true, 0));
  CHECK(report.exhausted);
  const OutcomeClass* fatal = report.find(OutcomeKind::kFatal);
  REQUIRE(fatal != nullptr);
  CHECK(fatal->outcome.message == "concurrent map writes");
  // The other writer is parked at the allocation when the fatal fires.
  REQUIRE_FALSE(fatal->first_trace.events.empty());
  CHECK_THAT(fatal->first_trace.events.back().detail, Catch::Matchers::Contains("is at mapassign.newobject"));
  // With a size hint the bucket array exists from make(): no allocation, no
  // point inside the single-key writes, no fatal.
  GoMapOptions hinted;
  hinted.B = 1;
  hinted.single_processor = true;
  const Report with_hint = testing::explore_dfs(Program{"hinted", [hinted] {
    auto map = std::make_shared<GoMap>(hinted);
    go("w1", [map] { map->mapassign(1, 1); });
    go("w2", [map] { map->mapassign(2, 2); });
  }});
  REQUIRE(with_hint.classes.size() == 1);
  CHECK(with_hint.classes[0].outcome.ok());
}

TEST_CASE("the checked heap turns wild accesses into Go's outcomes", "[maps][growth]") {
  using namespace goruntime;
  Heap heap("m");
  const bptr array = heap.alloc(2);
  heap.at(array.plus(1), "test").keys[0] = 42;
  CHECK(heap.at(array.plus(1), "test").keys[0] == 42);
  // Outside an execution the outcomes surface as exceptions.
  try {
    heap.at(nilBucket.plus(3), "test");
    FAIL("a nil dereference must panic");
  } catch (const Panic& panic) {
    CHECK(panic.message == kNilDereference);
  }
  try {
    heap.at(nilBucket.plus(1000), "test");  // 144,000 bytes past nil: not a nil fault
    FAIL("a far fault must throw");
  } catch (const FatalOutsideExecution& fatal) {
    CHECK(fatal.message == "fatal: fault");
  }
  try {
    heap.at(array.plus(2), "evacuate");
    FAIL("past the end must be corruption");
  } catch (const FatalOutsideExecution& fatal) {
    CHECK_THAT(fatal.message, Catch::Matchers::StartsWith("corruption: map 'm': evacuate reaches past the end"));
  }
  try {
    heap.zero(array.plus(1), 2, "makeBucketArray");
    FAIL("zeroing past the end must be corruption");
  } catch (const FatalOutsideExecution& fatal) {
    CHECK_THAT(fatal.message, Catch::Matchers::StartsWith("corruption:"));
  }
  // A stale handle still reads the storage it named (Go's GC keeps it alive).
  heap.alloc(8);
  CHECK(heap.at(array.plus(1), "test").keys[0] == 42);
}

TEST_CASE("same seed, same bytes: 300 seeds of growth-heavy random walks, twice", "[maps][growth][determinism]") {
  const Program two = growing_writers(2, 4, false);
  const Program three = growing_writers(3, 6, false);
  const Program single = growing_writers(2, 6, true);
  auto run_all = [&] {
    std::string text;
    for (std::uint64_t seed = 1; seed <= 300; ++seed) {
      const Program& program = seed % 3 == 0 ? two : seed % 3 == 1 ? three : single;
      text += describe_report(explore_random(program, seed, 10));
    }
    return text;
  };
  const std::string first = run_all();
  const std::string second = run_all();
  CHECK(first.size() > 100'000);  // traces were written
  CHECK(first == second);
}
