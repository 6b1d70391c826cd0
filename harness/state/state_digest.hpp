// A program state's digest, and the hasher that computes it. Stateful search
// (harness/strategy/stateful.hpp) keeps one digest per state it has seen and
// prunes a branch that reaches a digest again.
//
// Contract:
// - 128 bits from two 64-bit lanes, each a multiply-rotate chain over the
//   words added (a bijection of the lane for each word, so two sequences
//   that differ in one word never meet again in that lane), with different
//   constants, each finished by SplitMix64's finaliser. Not cryptographic: two
//   different states share a digest with probability about n^2 / 2^129 for n
//   states (10^-20 for a billion), the price of not keeping states whole
//   (SPIN's hash compaction takes the same bet with fewer bits).
// - Deterministic: a digest depends only on the words and texts added, in
//   order; callers add values, never addresses, so digests are the same on
//   every run and with every compiler.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace harness {

struct StateDigest {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  friend bool operator==(const StateDigest&, const StateDigest&) = default;
};

struct StateDigestHash {
  std::size_t operator()(const StateDigest& d) const { return static_cast<std::size_t>(d.low ^ (d.high >> 7)); }
};

class StateHasher {
 public:
  StateHasher() = default;
  explicit StateHasher(const StateDigest& start) : a_(start.low), b_(start.high) {}

  void add(std::uint64_t word) {
    a_ = rotl((a_ ^ word) * 0x9e3779b97f4a7c15ULL, 31);
    b_ = rotl((b_ + word) * 0xc2b2ae3d27d4eb4fULL, 27) ^ 0x165667b19e3779f9ULL;
  }
  void add(const StateDigest& d) {
    add(d.low);
    add(d.high);
  }
  /// A text, by its bytes (and length, so that "ab","c" differs from "a","bc").
  void add_text(std::string_view text) {
    add(text.size());
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      add(word);
    }
    std::uint64_t tail = 0;
    if (i < text.size()) std::memcpy(&tail, text.data() + i, text.size() - i);
    add(tail);
  }
  StateDigest digest() const { return StateDigest{mix(a_ + 0x510e527fade682d1ULL), mix(b_ ^ 0x9b05688c2b3e6c1fULL)}; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
  static constexpr std::uint64_t mix(std::uint64_t x) {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
  }
  std::uint64_t a_ = 0x243f6a8885a308d3ULL;
  std::uint64_t b_ = 0x13198a2e03707344ULL;
};

}  // namespace harness
