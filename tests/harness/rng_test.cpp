// Our PRNG must give the same numbers everywhere: these values are SplitMix64's
// published reference outputs for seed 1234567 (Vigna's splitmix64.c test).
#include <catch2/catch.hpp>

#include <array>

#include "harness/rng.hpp"

using harness::Rng;

TEST_CASE("SplitMix64 matches its reference outputs", "[rng]") {
  Rng rng(1234567);
  const std::array<std::uint64_t, 5> expected{6457827717110365317ull, 3203168211198807973ull, 9817491932198370423ull,
                                              4593380528125082431ull, 16408922859458223821ull};
  for (std::uint64_t value : expected) CHECK(rng.next() == value);
}

TEST_CASE("below() stays in range and reaches every value", "[rng]") {
  Rng rng(99);
  for (std::uint64_t bound : {1ull, 2ull, 3ull, 7ull, 10ull}) {
    std::array<int, 10> hits{};
    for (int i = 0; i < 2000; ++i) {
      const std::uint64_t v = rng.below(bound);
      REQUIRE(v < bound);
      ++hits[v];
    }
    for (std::uint64_t v = 0; v < bound; ++v) CHECK(hits[v] > 2000 / static_cast<int>(bound) / 2);
  }
}
