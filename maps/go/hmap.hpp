// Go 1.19's map layout (runtime/map.go), for a map[int64]int64.
//
// IMPLEMENTATION DETAILS (see ../shared/reference/go-map.md, section 1-4)
//
//   hmap ── buckets ──► [ bmap 0 | bmap 1 | … | bmap 2^B-1 | preallocated overflow… ]
//       └─ oldbuckets ─► the previous array while a growth is in progress
//
//   bmap: tophash[8] | keys[8] | elems[8] | overflow ──► bmap ──► …
//
// A key's bucket is hash & (2^B - 1); its tophash is the hash's top byte,
// lifted above the marker values. A slot's tophash doubles as its state:
// emptyRest / emptyOne for empty slots, evacuatedX / evacuatedY /
// evacuatedEmpty in an old bucket whose entries have moved during growth.
// Growth is incremental: each write evacuates the old bucket it needs plus
// one more, and lookups read an old bucket until it is evacuated.
#pragma once

#include <array>
#include <cstdint>

namespace maps::goruntime {

inline constexpr int bucketCntBits = 3;
inline constexpr int bucketCnt = 1 << bucketCntBits;
inline constexpr int loadFactorNum = 13;
inline constexpr int loadFactorDen = 2;

// Tophash values below minTopHash are markers, never hashes.
inline constexpr std::uint8_t emptyRest = 0;       // this slot and every later one are empty
inline constexpr std::uint8_t emptyOne = 1;        // this slot is empty
inline constexpr std::uint8_t evacuatedX = 2;      // moved to the same index of the new array
inline constexpr std::uint8_t evacuatedY = 3;      // moved to index + old bucket count
inline constexpr std::uint8_t evacuatedEmpty = 4;  // empty when its bucket was evacuated
inline constexpr std::uint8_t minTopHash = 5;
static_assert(emptyRest == 0, "zeroed buckets must read as empty: a fresh array needs no initialisation");
static_assert((evacuatedX ^ evacuatedY) == 1, "X and Y differ in bit 0 only (NaN keys use that bit)");
static_assert(evacuatedEmpty < minTopHash && evacuatedY < minTopHash, "markers must not collide with hashes");

// hmap.flags bits.
inline constexpr std::uint8_t iterator = 1;      // an iterator may be using buckets
inline constexpr std::uint8_t oldIterator = 2;   // an iterator may be using oldbuckets
inline constexpr std::uint8_t hashWriting = 4;   // a goroutine is writing to the map
inline constexpr std::uint8_t sameSizeGrow = 8;  // the current growth keeps the bucket count

/// A pointer to a bucket: an allocation of the map's Heap (0 is nil) and a
/// bucket index inside it. Arithmetic is unchecked, as Go's add(); the Heap
/// checks every dereference (heap.hpp).
struct bptr {
  std::uint32_t block = 0;
  std::uint64_t index = 0;

  bool nil() const { return block == 0; }
  bptr plus(std::uint64_t n) const { return bptr{block, index + n}; }
  friend bool operator==(const bptr&, const bptr&) = default;
};
inline constexpr bptr nilBucket{};

/// Go's bucket size for map[int64]int64 (tophash, keys, elems, overflow):
/// how far a bucket index reaches past a nil array, in bytes.
inline constexpr std::uint64_t bucketSize = bucketCnt * (1 + 8 + 8) + 8;

struct bmap {
  std::array<std::uint8_t, bucketCnt> tophash{};
  std::array<std::int64_t, bucketCnt> keys{};
  std::array<std::int64_t, bucketCnt> elems{};
  bptr overflow;
};

struct hmap {
  std::int64_t count = 0;     // live entries; what len(m) reads
  std::uint8_t flags = 0;
  std::uint8_t B = 0;         // log2 of the bucket count
  std::uint16_t noverflow = 0;
  std::uint32_t hash0 = 0;    // hash seed
  bptr buckets;
  bptr oldbuckets;              // non-nil only while growing
  std::uint64_t nevacuate = 0;  // old buckets below this index are evacuated
  bptr nextOverflow;            // extra.nextOverflow: the preallocated overflow pool
};

/// Go masks the shift to the word size, so a B that racing writers drove out
/// of range still shifts (never undefined behaviour).
constexpr std::uint64_t bucketShift(std::uint8_t b) { return std::uint64_t{1} << (b & 63); }
constexpr std::uint64_t bucketMask(std::uint8_t b) { return bucketShift(b) - 1; }
constexpr bool isEmpty(std::uint8_t x) { return x <= emptyOne; }
constexpr bool evacuated(const bmap& b) {
  const std::uint8_t h = b.tophash[0];
  return h > emptyOne && h < minTopHash;
}
constexpr std::uint8_t tophash(std::uint64_t hash) {
  std::uint8_t top = static_cast<std::uint8_t>(hash >> 56);
  if (top < minTopHash) top += minTopHash;
  return top;
}
/// count > 8 and more than 6.5 entries per bucket.
constexpr bool overLoadFactor(std::int64_t count, std::uint8_t B) {
  return count > bucketCnt &&
         static_cast<std::uint64_t>(count) > loadFactorNum * (bucketShift(B) / loadFactorDen);
}
constexpr bool tooManyOverflowBuckets(std::uint16_t noverflow, std::uint8_t B) {
  if (B > 15) B = 15;
  return noverflow >= static_cast<std::uint16_t>(1u << (B & 15));
}
static_assert(!overLoadFactor(8, 0) && overLoadFactor(9, 0), "B=0 grows when the 9th key arrives");
static_assert(!overLoadFactor(13, 1) && overLoadFactor(14, 1), "B=1 grows above 13 entries");

/// The map's hash of an int64 key (stands in for memhash64): a SplitMix64
/// finaliser over the key and the seed. Deterministic and well mixed; the
/// seed is part of the scenario, so schedules replay.
constexpr std::uint64_t hash_key(std::int64_t key, std::uint32_t seed) {
  std::uint64_t z = static_cast<std::uint64_t>(key) + (std::uint64_t{seed} << 32 | seed) + 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

}  // namespace maps::goruntime
