// GoMap's structural invariants, checked after an execution: what Go itself
// never checks, so a broken one is *silent corruption*.
//
//  1. The structure: each live slot sits in the bucket its hash selects (in
//     the new array, or in an old bucket not yet evacuated), with the tophash
//     of its hash, before any emptyRest marker of its chain.
//  2. Every stored key is reachable by a lookup, exactly once.
//  3. count equals the number of reachable keys.
//  4. Evacuation marks agree with nevacuate; without a growth in progress,
//     no evacuation marker and no sameSizeGrow flag remain.
//  5. No write is left in progress: hashWriting is clear.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "maps/go/go_map.hpp"

namespace maps {

using namespace goruntime;

namespace {
struct Slot {
  Key key;
  Value elem;
  std::uint8_t top;
  bool after_empty_rest;  ///< a lookup stops before reaching it
};

/// The live slots of one bucket chain.
std::vector<Slot> live_slots(const Heap& heap, bptr p) {
  std::vector<Slot> slots;
  bool rest = false;
  ChainGuard guard(heap, "the invariant check");
  for (; !p.nil(); p = heap.at(p, "the invariant check").overflow) {
    guard.hop();
    const bmap& b = heap.at(p, "the invariant check");
    for (int i = 0; i < bucketCnt; ++i) {
      if (b.tophash[i] == emptyRest) rest = true;
      if (b.tophash[i] >= minTopHash) slots.push_back(Slot{b.keys[i], b.elems[i], b.tophash[i], rest});
    }
  }
  return slots;
}
}  // namespace

std::optional<std::string> GoMap::check_shape() const {
  // Racing growths can leave B, the arrays and nevacuate out of step; say so
  // before walking them (every walk below stays inside the allocations).
  const std::uint64_t have = heap_.buckets_from(h_.buckets);
  if (bucketShift(h_.B) > have)
    return fmt::format("map '{}': B={} needs {} buckets but its bucket array holds {}", options_.name, h_.B,
                       bucketShift(h_.B), have);
  if (growing()) {
    const std::uint64_t old = heap_.buckets_from(h_.oldbuckets);
    if (noldbuckets() > old)
      return fmt::format("map '{}': a growth from {} old buckets, but the old array holds {}", options_.name,
                         noldbuckets(), old);
  }
  return std::nullopt;
}

std::vector<std::pair<Key, Value>> GoMap::snapshot() const {
  std::vector<std::pair<Key, Value>> entries;
  if (nil_ || h_.buckets.nil() || check_shape()) return entries;
  for (std::uint64_t j = 0; j < bucketShift(h_.B); ++j) {
    bptr chain = h_.buckets.plus(j);
    bool filter = false;
    if (growing()) {
      const bptr old = h_.oldbuckets.plus(j & oldbucketmask());
      if (!evacuated(heap_.at(old, "the invariant check"))) {
        chain = old;
        filter = !sameSize();
      }
    }
    for (const Slot& slot : live_slots(heap_, chain)) {
      if (filter && (hash_key(slot.key, h_.hash0) & bucketMask(h_.B)) != j) continue;
      if (!slot.after_empty_rest) entries.emplace_back(slot.key, slot.elem);
    }
  }
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::optional<std::string> GoMap::check_invariants() {
  if (nil_) return std::nullopt;
  if ((h_.flags & hashWriting) != 0)
    return fmt::format("map '{}': hashWriting is still set after every goroutine finished", options_.name);
  if (h_.buckets.nil()) {
    if (h_.count != 0) return fmt::format("map '{}': count is {} but the map has no buckets", options_.name, h_.count);
    return std::nullopt;
  }
  if (auto bad = check_shape()) return bad;
  // 1. Placement, tophash and emptyRest order, chain by chain.
  auto check_chain = [&](bptr chain, std::uint64_t index, std::uint64_t mask,
                         const char* which) -> std::optional<std::string> {
    for (const Slot& slot : live_slots(heap_, chain)) {
      const std::uint64_t hash = hash_key(slot.key, h_.hash0);
      if (slot.top != tophash(hash))
        return fmt::format("map '{}': key {} has tophash {:#x} in {} bucket {}, its hash says {:#x}", options_.name,
                           slot.key, slot.top, which, index, tophash(hash));
      if ((hash & mask) != index)
        return fmt::format("map '{}': key {} sits in {} bucket {}, its hash selects bucket {}", options_.name,
                           slot.key, which, index, hash & mask);
      if (slot.after_empty_rest)
        return fmt::format("map '{}': key {} in {} bucket {} lies beyond an emptyRest marker: lookups miss it",
                           options_.name, slot.key, which, index);
    }
    return std::nullopt;
  };
  for (std::uint64_t j = 0; j < bucketShift(h_.B); ++j) {
    if (growing() && !evacuated(heap_.at(h_.oldbuckets.plus(j & oldbucketmask()), "the invariant check")) &&
        !live_slots(heap_, h_.buckets.plus(j)).empty())
      return fmt::format("map '{}': new bucket {} holds keys while its old bucket {} is not evacuated: lookups miss "
                         "them",
                         options_.name, j, j & oldbucketmask());
    if (auto bad = check_chain(h_.buckets.plus(j), j, bucketMask(h_.B), "new")) return bad;
  }
  // 4. Evacuation state.
  if (growing()) {
    if (h_.nevacuate > noldbuckets())
      return fmt::format("map '{}': nevacuate {} is past the {} old buckets", options_.name, h_.nevacuate,
                         noldbuckets());
    for (std::uint64_t i = 0; i < noldbuckets(); ++i) {
      const bptr old = h_.oldbuckets.plus(i);
      if (i < h_.nevacuate && !evacuated(heap_.at(old, "the invariant check")))
        return fmt::format("map '{}': old bucket {} is below nevacuate {} but not evacuated", options_.name, i,
                           h_.nevacuate);
      if (evacuated(heap_.at(old, "the invariant check"))) {
        if (!live_slots(heap_, old).empty())
          return fmt::format("map '{}': old bucket {} is marked evacuated but still holds live keys", options_.name, i);
      } else if (auto bad = check_chain(old, i, oldbucketmask(), "old")) {
        return bad;
      }
    }
  } else {
    if ((h_.flags & sameSizeGrow) != 0)
      return fmt::format("map '{}': sameSizeGrow is set with no growth in progress", options_.name);
    for (std::uint64_t j = 0; j < bucketShift(h_.B); ++j) {
      ChainGuard guard(heap_, "the invariant check");
      for (bptr p = h_.buckets.plus(j); !p.nil(); p = heap_.at(p, "the invariant check").overflow) {
        guard.hop();
        for (std::uint8_t top : heap_.at(p, "the invariant check").tophash)
          if (top > emptyOne && top < minTopHash)
            return fmt::format("map '{}': bucket {} holds an evacuation marker with no growth in progress",
                               options_.name, j);
      }
    }
  }
  // 2-3. Reachable keys: no duplicates, and count agrees.
  std::map<Key, int> seen;
  for (const auto& [key, value] : snapshot()) ++seen[key];
  for (const auto& [key, times] : seen)
    if (times > 1) return fmt::format("map '{}': key {} is stored {} times", options_.name, key, times);
  if (static_cast<std::int64_t>(seen.size()) != h_.count)
    return fmt::format("map '{}': count is {} but {} keys are reachable", options_.name, h_.count, seen.size());
  return std::nullopt;
}

}  // namespace maps
