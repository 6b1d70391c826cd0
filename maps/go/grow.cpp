// GoMap's growth: makeBucketArray, newoverflow, hashGrow, growWork,
// evacuate, advanceEvacuationMark (reference §3-4). Every field of h is read
// where Go reads it, so a growth that races another one misbehaves as Go's
// would (through the checked heap, never outside the model's memory).
#include <fmt/format.h>

#include "maps/go/go_map.hpp"

namespace maps {

using namespace goruntime;
using harness::AccessKind;
using harness::Touch;

std::pair<bptr, bptr> GoMap::makeBucketArray(std::uint8_t b, bptr dirty) {
  const std::uint64_t base = bucketShift(b);
  std::uint64_t nbuckets = base;
  if (b >= 4) nbuckets += bucketShift(b - 4);  // preallocated overflow buckets
  bptr buckets;
  if (!dirty.nil()) {
    // memclr of nbuckets buckets from dirty, sized by the B read now.
    heap_.zero(dirty, nbuckets, "makeBucketArray");  // whoever still holds it sees the zeroes
    buckets = dirty;
  } else {
    buckets = heap_.alloc(nbuckets);
  }
  bptr next;
  if (base != nbuckets) {
    next = buckets.plus(base);
    // A non-nil overflow pointer on the last preallocated bucket marks the
    // end of the pool; the array base serves as that sentinel.
    heap_.at(buckets.plus(nbuckets - 1), "makeBucketArray").overflow = buckets;
  }
  return {buckets, next};
}

void GoMap::incrnoverflow() {
  // Exact below 2^16 buckets; above, counted with probability 1/2^(B-15).
  if (h_.B < 16) {
    ++h_.noverflow;
    return;
  }
  // uint32(1)<<(h.B-15) - 1, where Go's shift past the width gives 0.
  const int shift = h_.B - 15;
  const std::uint32_t mask = shift >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << shift) - 1;
  if ((static_cast<std::uint32_t>(fastrand_.next()) & mask) == 0) ++h_.noverflow;
}

bptr GoMap::newoverflow(bptr b, bool in_evacuate) {
  bptr ovf;
  if (!h_.nextOverflow.nil()) {
    ovf = h_.nextOverflow;
    bmap& pooled = heap_.at(ovf, "newoverflow");
    if (pooled.overflow.nil()) {
      h_.nextOverflow = ovf.plus(1);  // not the last preallocated bucket
    } else {
      pooled.overflow = nilBucket;  // the last one: clear the sentinel, pool empty
      h_.nextOverflow = nilBucket;
    }
  } else {
    // A real allocation: may start a GC cycle and park this goroutine.
    // Then noverflow (and fastrand) and b.overflow are written; mapassign's
    // next point follows, while evacuate goes on moving entries.
    alloc_point(in_evacuate ? whole("newoverflow.alloc", AccessKind::kRmw)
                            : part("newoverflow.alloc", header_object(), AccessKind::kRmw,
                                   Touch{bucket_object(b), AccessKind::kWrite}));
    ovf = heap_.alloc(1);
  }
  incrnoverflow();
  heap_.at(b, "newoverflow").overflow = ovf;
  return ovf;
}

void GoMap::hashGrow() {
  std::uint8_t bigger = 1;
  if (!overLoadFactor(h_.count + 1, h_.B)) {
    bigger = 0;  // too many overflow buckets: compact at the same size
    h_.flags |= sameSizeGrow;
  }
  const bptr oldbuckets = h_.buckets;
  // makeBucketArray(t, h.B+bigger, nil): B is read for the argument, then
  // the allocation can start a GC cycle and park us with hashWriting set.
  const auto newB = static_cast<std::uint8_t>(h_.B + bigger);
  // Then the commit writes the header and flags, and mapassign's `goto
  // again` reads them up to evacuate's point.
  alloc_point(part("hashGrow.makeBucketArray", header_object(), AccessKind::kRmw,
                   Touch{flags_object(), AccessKind::kRmw}));
  auto [newbuckets, nextOverflow] = makeBucketArray(newB);
  std::uint8_t flags = h_.flags & static_cast<std::uint8_t>(~(iterator | oldIterator));
  if ((h_.flags & iterator) != 0) flags |= oldIterator;
  // Commit the grow. `h.B += bigger` reads B again: a writer that grew the
  // map while we were parked leaves B and the new array out of step, as in Go.
  h_.B = static_cast<std::uint8_t>(h_.B + bigger);
  h_.flags = flags;
  h_.oldbuckets = oldbuckets;
  h_.buckets = newbuckets;
  h_.nevacuate = 0;
  h_.noverflow = 0;
  if (!nextOverflow.nil()) h_.nextOverflow = nextOverflow;
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

// Two kinds of points (see go_map.hpp): "evacuate" before the old bucket's
// evacuated() check, and "evacuate.bucket" before each bucket of its chain is
// moved. Two writers whose overlap Go missed can both pass the check; the
// second then meets the first one's evacuation marks and throws "bad map
// state", as Go 1.19 does.
void GoMap::evacuate(std::uint64_t oldbucket) {
  step(whole("evacuate", AccessKind::kRmw));
  bptr b = h_.oldbuckets.plus(oldbucket);  // nil if another writer finished the growth
  const std::uint64_t newbit = noldbuckets();
  const bool done = evacuated(heap_.at(b, "evacuate"));
  if (harness::recording())
    harness::note(fmt::format("old bucket {}: {}", oldbucket, done ? "already evacuated" : "not evacuated yet"));
  if (!done) {
    struct Destination {
      bptr b;
      int i = 0;
    };
    Destination xy[2] = {{h_.buckets.plus(oldbucket)}, {}};
    if (!sameSize()) xy[1].b = h_.buckets.plus(oldbucket + newbit);
    ChainGuard guard(heap_, "evacuate");
    for (; !b.nil(); b = heap_.at(b, "evacuate").overflow) {
      guard.hop();
      step(whole("evacuate.bucket", AccessKind::kRmw));
      bmap& old = heap_.at(b, "evacuate");
      int moved = 0;
      for (int i = 0; i < bucketCnt; ++i) {
        const std::uint8_t top = old.tophash[i];
        if (isEmpty(top)) {
          old.tophash[i] = evacuatedEmpty;
          continue;
        }
        if (top < minTopHash) harness::fatal("bad map state");
        std::uint8_t useY = 0;
        if (!sameSize() && (hash_key(old.keys[i], h_.hash0) & newbit) != 0) useY = 1;
        old.tophash[i] = static_cast<std::uint8_t>(evacuatedX + useY);  // the durable evacuation record
        Destination& dst = xy[useY];
        if (dst.i == bucketCnt) {
          dst.b = newoverflow(dst.b, true);
          dst.i = 0;
        }
        bmap& to = heap_.at(dst.b, "evacuate");
        to.tophash[dst.i & (bucketCnt - 1)] = top;
        to.keys[dst.i & (bucketCnt - 1)] = old.keys[i];
        to.elems[dst.i & (bucketCnt - 1)] = old.elems[i];
        ++dst.i;
        ++moved;
      }
      if (harness::recording()) harness::note(fmt::format("{} entries moved", moved));
    }
    // Keys and elems hold no pointers, so Go leaves the old bucket as it is.
  }
  if (oldbucket == h_.nevacuate) advanceEvacuationMark(newbit);
}

void GoMap::advanceEvacuationMark(std::uint64_t newbit) {
  ++h_.nevacuate;
  // Scan at most 1024 buckets ahead, so a write stays O(1).
  std::uint64_t stop = h_.nevacuate + 1024;
  if (stop > newbit) stop = newbit;
  while (h_.nevacuate != stop && evacuated(heap_.at(h_.oldbuckets.plus(h_.nevacuate), "advanceEvacuationMark")))
    ++h_.nevacuate;
  if (h_.nevacuate == newbit) {  // growth is done
    h_.oldbuckets = nilBucket;
    h_.flags &= static_cast<std::uint8_t>(~sameSizeGrow);
  }
}

}  // namespace maps
