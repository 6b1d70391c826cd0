// GoMap's iteration: mapiterinit and mapiternext (reference §5.4). The
// random start is a data choice; mapiternext checks hashWriting once per
// call, i.e. once per element delivered; entries that moved since the
// iterator took its snapshot are looked up again (mapaccessK) so that
// iteration stays correct during growth.
#include <fmt/format.h>

#include "maps/go/go_map.hpp"

namespace maps {

using namespace goruntime;
using harness::AccessKind;
using harness::Touch;

namespace {
constexpr std::uint64_t noCheck = ~std::uint64_t{0};
}

struct GoMap::hiter {
  Key key = 0;
  Value elem = 0;
  bptr buckets;  // the bucket array when the iterator started
  bptr bp;       // the bucket being walked (hiter.bptr)
  std::uint8_t B = 0;
  std::uint64_t startBucket = 0;
  std::uint8_t offset = 0;  // intra-bucket start, the same for every bucket
  bool wrapped = false;
  std::uint8_t i = 0;
  std::uint64_t bucket = 0;
  std::uint64_t checkBucket = 0;
};

std::optional<std::pair<Key, Value>> GoMap::mapaccessK(Key key) const {
  if (nil_ || h_.count == 0) return std::nullopt;
  const std::uint64_t hash = hash_key(key, h_.hash0);
  const std::uint8_t top = tophash(hash);
  ChainGuard guard(heap_, "mapaccessK");
  for (bptr p = lookup_bucket(hash); !p.nil(); p = heap_.at(p, "mapaccessK").overflow) {
    guard.hop();
    const bmap& b = heap_.at(p, "mapaccessK");
    for (int i = 0; i < bucketCnt; ++i) {
      if (b.tophash[i] != top) {
        if (b.tophash[i] == emptyRest) return std::nullopt;
        continue;
      }
      if (b.keys[i] == key) return std::pair{b.keys[i], b.elems[i]};
    }
  }
  return std::nullopt;
}

bool GoMap::mapiterinit(hiter& it) {
  // Reads count, B, buckets and flags (the data choice between them is no
  // step).
  entry_point(part("mapiterinit", count_object(), AccessKind::kRead, Touch{header_object(), AccessKind::kRead},
                   Touch{flags_object(), AccessKind::kRead}),
              true);
  if (nil_ || h_.count == 0) return false;  // nothing to iterate, and no check
  it.B = h_.B;
  it.buckets = h_.buckets;
  // r := fastrand(): the start bucket and the offset within each bucket.
  const std::uint64_t options = options_.explore_iteration_start ? bucketShift(h_.B) * bucketCnt : 1;
  const std::uint64_t r = harness::choose(options, "mapiterinit.start");
  it.startBucket = r & bucketMask(h_.B);
  it.offset = static_cast<std::uint8_t>((r >> h_.B) & (bucketCnt - 1));
  it.bucket = it.startBucket;
  if (harness::recording())
    harness::note(fmt::format("start at bucket {}, offset {}", it.startBucket, it.offset));
  // The one atomic access to flags: mark that an iterator may be running.
  if ((h_.flags & (iterator | oldIterator)) != (iterator | oldIterator)) {
    step(part("mapiterinit.set-iterator", flags_object(), AccessKind::kRmw));
    h_.flags |= iterator | oldIterator;
  }
  return mapiternext(it);
}

bool GoMap::mapiternext(hiter& it) {
  // Each mapiternext is a runtime call of its own: an entry point.
  // Walks buckets until it finds an entry: the whole map.
  entry_point(whole("mapiternext.check-writing", AccessKind::kRead), false);
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map iteration and map write");
  std::uint64_t bucket = it.bucket;
  bptr b = it.bp;
  std::uint8_t i = it.i;
  std::uint64_t checkBucket = it.checkBucket;
  // Within one call the walk delivers one element or ends; without a point
  // inside it (GOMAXPROCS=1 has none), a cycle must still end.
  ChainGuard guard(heap_, "mapiternext");
  for (;;) {  // next:
    if (b.nil()) {
      if (bucket == it.startBucket && it.wrapped) return false;  // done
      if (growing() && it.B == h_.B) {
        // Iterating the new array of an unfinished growth: walk the old
        // bucket if it has not moved yet, keeping only the entries that
        // belong to this new bucket.
        const std::uint64_t oldbucket = bucket & oldbucketmask();
        b = h_.oldbuckets.plus(oldbucket);
        if (!evacuated(heap_.at(b, "mapiternext"))) {
          checkBucket = bucket;
        } else {
          b = it.buckets.plus(bucket);
          checkBucket = noCheck;
        }
      } else {
        b = it.buckets.plus(bucket);
        checkBucket = noCheck;
      }
      ++bucket;
      if (bucket == bucketShift(it.B)) {
        bucket = 0;
        it.wrapped = true;
      }
      i = 0;
    }
    const bmap& walked = heap_.at(b, "mapiternext");
    for (; i < bucketCnt; ++i) {
      const std::uint8_t offi = (i + it.offset) & (bucketCnt - 1);
      const std::uint8_t top = walked.tophash[offi];
      if (isEmpty(top) || top == evacuatedEmpty) continue;
      const Key k = walked.keys[offi];
      if (checkBucket != noCheck && !sameSize()) {
        // int64 keys are reflexive: filter by the hash.
        if ((hash_key(k, h_.hash0) & bucketMask(it.B)) != checkBucket) continue;
      }
      if (top != evacuatedX && top != evacuatedY) {
        it.key = k;  // the golden data: nothing has moved it
        it.elem = walked.elems[offi];
      } else {
        // Moved since the snapshot: the current table has the truth
        // (updated, deleted, or re-inserted).
        std::optional<std::pair<Key, Value>> current = mapaccessK(k);
        if (!current) continue;
        it.key = current->first;
        it.elem = current->second;
      }
      it.bucket = bucket;
      it.bp = b;
      it.i = static_cast<std::uint8_t>(i + 1);
      it.checkBucket = checkBucket;
      return true;
    }
    guard.hop();
    b = walked.overflow;
    i = 0;
  }
}

void GoMap::maprange(const std::function<bool(Key, Value)>& visit) {
  hiter it;
  for (bool more = mapiterinit(it); more; more = mapiternext(it)) {
    if (harness::recording()) harness::note(fmt::format("yields {} = {}", it.key, it.elem));
    if (!visit(it.key, it.elem)) return;
  }
}

}  // namespace maps
