// SplitMix64 (Steele, Lea, Flood 2014; the constants are Vigna's reference
// ones) with our own bounded draw. We never use <random> distributions: their
// algorithms differ between libstdc++ and libc++, and a seed must mean the
// same schedule whichever compiler built the tool.
#pragma once

#include <cstdint>

namespace harness {

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  /// The generator's whole state (for a state digest).
  std::uint64_t state() const { return state_; }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, bound). REQUIRES: bound > 0. Rejection sampling removes
  /// the modulo bias: draws from the top partial block are redrawn.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    std::uint64_t x;
    do {
      x = next();
    } while (x >= limit);
    return x % bound;
  }

  /// A seed for sub-stream `index` of `seed`: execution i of a random run
  /// can be recreated from (seed, i) alone.
  static std::uint64_t derive(std::uint64_t seed, std::uint64_t index) {
    Rng mixer(seed ^ (index * 0xD1B54A32D192ED03ull));
    mixer.next();
    return mixer.next();
  }

 private:
  std::uint64_t state_;
};

}  // namespace harness
