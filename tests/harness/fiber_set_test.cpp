// harness::FiberSet against std::set<uint32_t> as the reference: random sets
// over ids 0-299 (the inline word and four heap words), every operation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "harness/fiber_set.hpp"
#include "harness/rng.hpp"

using namespace harness;

namespace {

using Reference = std::set<std::uint32_t>;

FiberSet make(const Reference& ids) {
  FiberSet set;
  for (const std::uint32_t id : ids) set.insert(FiberId{id});
  return set;
}

Reference members(const FiberSet& set) {
  Reference ids;
  for (const FiberId id : set) ids.insert(index(id));
  return ids;
}

Reference random_ids(Rng& rng, std::uint32_t limit) {
  Reference ids;
  const std::uint64_t count = rng.below(12);
  for (std::uint64_t k = 0; k < count; ++k) {
    // Half near the word boundaries, where mistakes live.
    const std::uint32_t edge[] = {0, 1, 62, 63, 64, 65, 127, 128, 191, 192, 255, 256, 299};
    ids.insert(rng.below(2) == 0 ? edge[rng.below(std::size(edge))] : static_cast<std::uint32_t>(rng.below(limit)));
  }
  return ids;
}

}  // namespace

TEST_CASE("FiberSet agrees with std::set on every operation, across word boundaries", "[fiber-set]") {
  Rng rng(2026);
  for (int round = 0; round < 3000; ++round) {
    const Reference a = random_ids(rng, 300);
    const Reference b = random_ids(rng, 300);
    const FiberSet x = make(a);
    const FiberSet y = make(b);
    INFO("a = " << format_fiber_set(x) << ", b = " << format_fiber_set(y));
    // Iteration is ascending and complete.
    REQUIRE(members(x) == a);
    CHECK(x.size() == a.size());
    CHECK(x.empty() == a.empty());
    CHECK(x.several() == (a.size() >= 2));
    CHECK(x.within_first_word() == (a.empty() || *a.rbegin() < 64));
    if (!a.empty()) CHECK(index(x.lowest()) == *a.begin());
    for (std::uint32_t k = 0; k < a.size(); ++k) CHECK(index(nth_member(x, k)) == *std::next(a.begin(), k));
    for (std::uint32_t id = 0; id < 310; id += 1 + static_cast<std::uint32_t>(rng.below(7)))
      CHECK(x.contains(FiberId{id}) == (a.count(id) == 1));

    Reference both, either, only_a;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::inserter(both, both.end()));
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::inserter(either, either.end()));
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::inserter(only_a, only_a.end()));
    CHECK(members(x & y) == both);
    CHECK(members(x | y) == either);
    CHECK(members(x - y) == only_a);
    // Equality is by members, however the set was built (trailing words trimmed).
    CHECK((x - y) == make(only_a));
    CHECK((x & y) == make(both));
    CHECK((x == y) == (a == b));

    const std::uint32_t cut = static_cast<std::uint32_t>(rng.below(320));
    Reference below, from;
    for (const std::uint32_t id : a) (id < cut ? below : from).insert(id);
    CHECK(members(x.below(cut)) == below);
    CHECK(members(x.from(cut)) == from);
    CHECK(x.below(cut) == make(below));

    FiberSet erased = x;
    if (!a.empty()) {
      const std::uint32_t gone = *std::next(a.begin(), static_cast<std::ptrdiff_t>(rng.below(a.size())));
      erased.erase(FiberId{gone});
      Reference rest = a;
      rest.erase(gone);
      CHECK(erased == make(rest));
    }
    CHECK(FiberSet::from_words(x.low_word(), x.high_words()) == x);
    FiberSet cleared = x;
    cleared.clear();
    CHECK(cleared.empty());
    CHECK(cleared == FiberSet{});
  }
}

TEST_CASE("a fiber set prints as the traces write it", "[fiber-set]") {
  CHECK(format_fiber_set(FiberSet{}) == "{}");
  CHECK(format_fiber_set(make({0, 2})) == "{0,2}");
  CHECK(format_fiber_set(make({3, 63, 64, 200, 4095})) == "{3,63,64,200,4095}");
}
