// GoMap's growth: makeBucketArray, newoverflow, hashGrow, growWork,
// evacuate, advanceEvacuationMark (reference §3-4).
#include <fmt/format.h>

#include "maps/go/go_map.hpp"

namespace maps {

using namespace goruntime;
using harness::AccessKind;

std::pair<bmap*, bmap*> GoMap::makeBucketArray(std::uint8_t b, bmap* dirty) {
  const std::uint64_t base = bucketShift(b);
  std::uint64_t nbuckets = base;
  if (b >= 4) nbuckets += bucketShift(b - 4);  // preallocated overflow buckets
  bmap* buckets = nullptr;
  for (BucketArray& array : arrays_) {
    if (dirty != nullptr && array.buckets.get() == dirty && array.size == nbuckets) {
      for (std::size_t i = 0; i < array.size; ++i) dirty[i] = bmap{};
      buckets = dirty;
    }
  }
  if (buckets == nullptr) {
    arrays_.push_back(BucketArray{std::make_unique<bmap[]>(nbuckets), nbuckets});
    buckets = arrays_.back().buckets.get();
  }
  bmap* next = nullptr;
  if (base != nbuckets) {
    next = buckets + base;
    // A non-nil overflow pointer on the last preallocated bucket marks the
    // end of the pool; the array base serves as that sentinel.
    buckets[nbuckets - 1].overflow = buckets;
  }
  return {buckets, next};
}

void GoMap::incrnoverflow() {
  // Exact below 2^16 buckets; above, counted with probability 1/2^(B-15).
  if (h_.B < 16) {
    ++h_.noverflow;
    return;
  }
  const std::uint64_t mask = (std::uint64_t{1} << (h_.B - 15)) - 1;
  if ((fastrand_.next() & mask) == 0) ++h_.noverflow;
}

bmap* GoMap::newoverflow(bmap* b) {
  bmap* ovf;
  if (h_.nextOverflow != nullptr) {
    ovf = h_.nextOverflow;
    if (ovf->overflow == nullptr) {
      h_.nextOverflow = ovf + 1;  // not the last preallocated bucket
    } else {
      ovf->overflow = nullptr;  // the last one: clear the sentinel, pool empty
      h_.nextOverflow = nullptr;
    }
  } else {
    // A real allocation: may start a GC cycle and park this goroutine.
    alloc_point("newoverflow.alloc");
    overflows_.push_back(std::make_unique<bmap>());
    ovf = overflows_.back().get();
  }
  incrnoverflow();
  b->overflow = ovf;
  return ovf;
}

void GoMap::hashGrow() {
  std::uint8_t bigger = 1;
  if (!overLoadFactor(h_.count + 1, h_.B)) {
    bigger = 0;  // too many overflow buckets: compact at the same size
    h_.flags |= sameSizeGrow;
  }
  bmap* old = h_.buckets;
  // The new array is allocated with hashWriting set: a GC can park us here.
  alloc_point("hashGrow.makeBucketArray");
  auto [newbuckets, nextOverflow] = makeBucketArray(static_cast<std::uint8_t>(h_.B + bigger));
  std::uint8_t flags = h_.flags & static_cast<std::uint8_t>(~(iterator | oldIterator));
  if ((h_.flags & iterator) != 0) flags |= oldIterator;
  // Commit the grow.
  h_.B = static_cast<std::uint8_t>(h_.B + bigger);
  h_.flags = flags;
  h_.oldbuckets = old;
  h_.buckets = newbuckets;
  h_.nevacuate = 0;
  h_.noverflow = 0;
  h_.nextOverflow = nextOverflow;
  if (harness::recording())
    harness::note(fmt::format("{} growth to B={}", bigger ? "doubling" : "same-size", h_.B));
}

std::uint64_t GoMap::noldbuckets() const {
  std::uint8_t oldB = h_.B;
  if (!sameSize()) --oldB;
  return bucketShift(oldB);
}

void GoMap::growWork(std::uint64_t bucket) {
  // The old bucket that feeds the one about to be used, then one more so
  // that growth always makes progress.
  evacuate(bucket & oldbucketmask());
  if (growing()) evacuate(h_.nevacuate);
}

void GoMap::evacuate(std::uint64_t oldbucket) {
  step("evacuate", AccessKind::kWrite);
  bmap* b = bucket_at(h_.oldbuckets, oldbucket);  // null if another writer finished the growth
  const std::uint64_t newbit = noldbuckets();
  if (!evacuated(b)) {
    struct Destination {
      bmap* b;
      int i = 0;
    };
    Destination xy[2] = {{bucket_at(h_.buckets, oldbucket)}, {nullptr}};
    if (!sameSize()) xy[1].b = bucket_at(h_.buckets, oldbucket + newbit);
    std::uint64_t moved = 0;
    for (; b != nullptr; b = b->overflow) {
      for (int i = 0; i < bucketCnt; ++i) {
        const std::uint8_t top = b->tophash[i];
        if (isEmpty(top)) {
          b->tophash[i] = evacuatedEmpty;
          continue;
        }
        if (top < minTopHash) harness::fatal("bad map state");
        std::uint8_t useY = 0;
        if (!sameSize() && (hash_key(b->keys[i], h_.hash0) & newbit) != 0) useY = 1;
        b->tophash[i] = static_cast<std::uint8_t>(evacuatedX + useY);  // the durable evacuation record
        Destination& dst = xy[useY];
        if (dst.i == bucketCnt) {
          dst.b = newoverflow(dst.b);
          dst.i = 0;
        }
        dst.b->tophash[dst.i & (bucketCnt - 1)] = top;
        dst.b->keys[dst.i & (bucketCnt - 1)] = b->keys[i];
        dst.b->elems[dst.i & (bucketCnt - 1)] = b->elems[i];
        ++dst.i;
        ++moved;
      }
    }
    // Keys and elems hold no pointers, so Go leaves the old bucket as it is.
    if (harness::recording()) harness::note(fmt::format("old bucket {}: {} entries moved", oldbucket, moved));
  }
  if (oldbucket == h_.nevacuate) advanceEvacuationMark(newbit);
}

void GoMap::advanceEvacuationMark(std::uint64_t newbit) {
  ++h_.nevacuate;
  // Scan at most 1024 buckets ahead, so a write stays O(1).
  std::uint64_t stop = h_.nevacuate + 1024;
  if (stop > newbit) stop = newbit;
  while (h_.nevacuate != stop && evacuated(bucket_at(h_.oldbuckets, h_.nevacuate))) ++h_.nevacuate;
  if (h_.nevacuate == newbit) {  // growth is done
    h_.oldbuckets = nullptr;
    h_.flags &= static_cast<std::uint8_t>(~sameSizeGrow);
  }
}

}  // namespace maps
