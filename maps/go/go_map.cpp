// GoMap's reads and writes: mapaccess2, mapassign, mapdelete, mapclear and
// len, in the order of Go 1.19's runtime/map.go (reference §5).
#include "maps/go/go_map.hpp"

#include <fmt/format.h>

namespace maps {

using namespace goruntime;
using harness::AccessKind;

GoMap::GoMap(GoMapOptions options)
    : options_(std::move(options)),
      nil_(options_.nil),
      ref_("gomap", options_.name),
      fastrand_(0x6f72616e64ull ^ options_.hash_seed) {
  h_.hash0 = options_.hash_seed;
  h_.B = options_.B;
  if (!nil_ && h_.B > 0) {
    auto [buckets, next] = makeBucketArray(h_.B);
    h_.buckets = buckets;
    h_.nextOverflow = next;
  }
}

GoMap::~GoMap() = default;

void GoMap::entry_point(std::string_view label, AccessKind access, bool writes) {
  // An access kind covers everything the step does up to the next point. In
  // single-processor mode that is the whole call, so a writer's entry writes.
  if (writes && options_.single_processor) access = AccessKind::kRmw;
  harness::point(label, ref_.id(), access);
}

void GoMap::step(std::string_view label, AccessKind access) {
  if (!options_.single_processor) harness::point(label, ref_.id(), access);
}

// The step after an allocation commits what was allocated: it writes.
void GoMap::alloc_point(std::string_view label) { harness::point(label, ref_.id(), AccessKind::kRmw); }

void GoMap::note_flags(std::string_view what, std::uint8_t flags) {
  if (harness::recording()) harness::note(fmt::format("{} flags={}", what, flags));
}

void GoMap::nil_dereference() {
  harness::panic("runtime error: invalid memory address or nil pointer dereference");
}

goruntime::bmap* GoMap::bucket_at(goruntime::bmap* array, std::uint64_t index) const {
  if (array == nullptr) nil_dereference();
  return array + index;
}

// SET: h.flags ^= hashWriting, a plain load then a plain store.
void GoMap::set_writing(std::string_view load_label, std::string_view store_label) {
  step(load_label, AccessKind::kRead);
  const std::uint8_t seen = h_.flags;
  note_flags("read", seen);
  step(store_label, AccessKind::kWrite);
  h_.flags = seen ^ hashWriting;
  note_flags("wrote", h_.flags);
}

// RECHECK then CLEAR (h.flags &^= hashWriting, again load then store).
void GoMap::recheck_and_clear_writing(std::string_view recheck_label, std::string_view load_label,
                                      std::string_view store_label) {
  step(recheck_label, AccessKind::kRead);
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) == 0) harness::fatal("concurrent map writes");
  step(load_label, AccessKind::kRead);
  const std::uint8_t seen = h_.flags;
  note_flags("read", seen);
  step(store_label, AccessKind::kWrite);
  h_.flags = seen & static_cast<std::uint8_t>(~hashWriting);
  note_flags("wrote", h_.flags);
}

// The bucket a lookup reads: the old one while it is not yet evacuated.
goruntime::bmap* GoMap::lookup_bucket(std::uint64_t hash) const {
  std::uint64_t m = bucketMask(h_.B);
  bmap* b = bucket_at(h_.buckets, hash & m);
  if (bmap* old = h_.oldbuckets; old != nullptr) {
    if (!sameSize()) m >>= 1;  // there used to be half as many buckets
    bmap* oldb = old + (hash & m);
    if (!evacuated(oldb)) b = oldb;
  }
  return b;
}

std::optional<Value> GoMap::mapaccess(Key key) {
  entry_point("mapaccess.check-writing", AccessKind::kRead, false);
  if (harness::recording()) harness::note(fmt::format("m[{}]", key));
  if (nil_ || h_.count == 0) return std::nullopt;  // no check on this path
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map read and map write");
  const std::uint64_t hash = hash_key(key, h_.hash0);
  const std::uint8_t top = tophash(hash);
  for (bmap* b = lookup_bucket(hash); b != nullptr; b = b->overflow) {
    step("mapaccess.probe", AccessKind::kRead);
    for (int i = 0; i < bucketCnt; ++i) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest) return std::nullopt;
        continue;
      }
      if (b->keys[i] == key) {
        if (harness::recording()) harness::note(fmt::format("found key {} = {}", key, b->elems[i]));
        return b->elems[i];
      }
    }
  }
  return std::nullopt;
}

void GoMap::mapassign(Key key, Value value) {
  if (nil_) {
    entry_point("mapassign.nil", AccessKind::kNone, false);
    harness::panic("assignment to entry in nil map");
  }
  entry_point("mapassign.check-writing", AccessKind::kRead, true);
  if (harness::recording()) harness::note(fmt::format("m[{}] = {}", key, value));
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map writes");
  const std::uint64_t hash = hash_key(key, h_.hash0);
  set_writing("mapassign.set-writing.load", "mapassign.set-writing.store");
  if (h_.buckets == nullptr) {
    auto [buckets, next] = makeBucketArray(0);
    h_.buckets = buckets;
    h_.nextOverflow = next;
  }

  bmap* insertb = nullptr;
  int inserti = 0;
  bmap* elem_bucket = nullptr;  // where the value goes
  int elem_index = 0;
  for (;;) {  // again:
    const std::uint64_t bucket = hash & bucketMask(h_.B);
    if (growing()) growWork(bucket);
    bmap* b = bucket_at(h_.buckets, bucket);
    const std::uint8_t top = tophash(hash);
    insertb = nullptr;
    for (;;) {  // bucketloop
      // Read-modify-write: the step that ends the probe may go on to chain a
      // preallocated overflow bucket or mark a same-size growth.
      step("mapassign.probe", AccessKind::kRmw);
      bool stop = false;
      for (int i = 0; i < bucketCnt && !stop; ++i) {
        if (b->tophash[i] != top) {
          if (isEmpty(b->tophash[i]) && insertb == nullptr) {
            insertb = b;
            inserti = i;
          }
          if (b->tophash[i] == emptyRest) stop = true;
          continue;
        }
        if (b->keys[i] != key) continue;
        elem_bucket = b;  // already there: overwrite (done:)
        elem_index = i;
        stop = true;
      }
      if (stop || b->overflow == nullptr) break;
      b = b->overflow;
    }
    if (elem_bucket != nullptr) break;
    // Not found. Grow if this insert would overload the map.
    if (!growing() && (overLoadFactor(h_.count + 1, h_.B) || tooManyOverflowBuckets(h_.noverflow, h_.B))) {
      hashGrow();
      continue;  // goto again: the table changed
    }
    if (insertb == nullptr) {  // every slot is full: chain a new bucket
      insertb = newoverflow(b);
      inserti = 0;
    }
    step("mapassign.insert", AccessKind::kWrite);
    insertb->keys[inserti] = key;
    insertb->tophash[inserti] = top;
    ++h_.count;
    if (harness::recording()) harness::note(fmt::format("key {} in slot {}, count={}", key, inserti, h_.count));
    elem_bucket = insertb;
    elem_index = inserti;
    break;
  }
  recheck_and_clear_writing("mapassign.recheck-writing", "mapassign.clear-writing.load",
                            "mapassign.clear-writing.store");
  // Compiled code stores the value through the returned pointer, after the
  // writing flag is already clear.
  step("mapassign.store-elem", AccessKind::kWrite);
  elem_bucket->elems[elem_index] = value;
  if (harness::recording()) harness::note(fmt::format("m[{}] = {}", key, value));
}

void GoMap::mapdelete(Key key) {
  entry_point("mapdelete.check-writing", AccessKind::kRead, true);
  if (harness::recording()) harness::note(fmt::format("delete(m, {})", key));
  if (nil_ || h_.count == 0) return;  // a no-op, and no check on this path
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map writes");
  const std::uint64_t hash = hash_key(key, h_.hash0);
  set_writing("mapdelete.set-writing.load", "mapdelete.set-writing.store");

  const std::uint64_t bucket = hash & bucketMask(h_.B);
  if (growing()) growWork(bucket);
  bmap* const borig = bucket_at(h_.buckets, bucket);
  const std::uint8_t top = tophash(hash);
  bool done = false;
  for (bmap* b = borig; b != nullptr && !done; b = b->overflow) {
    step("mapdelete.probe", AccessKind::kRead);
    for (int i = 0; i < bucketCnt; ++i) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest) {
          done = true;
          break;
        }
        continue;
      }
      if (b->keys[i] != key) continue;
      step("mapdelete.remove", AccessKind::kWrite);
      b->keys[i] = 0;
      b->elems[i] = 0;
      b->tophash[i] = emptyOne;
      // If the slot now ends a run of empties, turn the run into emptyRest.
      const bool last_in_use = i == bucketCnt - 1
                                   ? (b->overflow == nullptr || b->overflow->tophash[0] == emptyRest)
                                   : b->tophash[i + 1] == emptyRest;
      if (last_in_use) {
        bmap* cur = b;
        int j = i;
        for (;;) {
          cur->tophash[j] = emptyRest;
          if (j == 0) {
            if (cur == borig) break;  // beginning of the chain
            bmap* c = cur;            // find the previous bucket
            for (cur = borig; cur->overflow != c; cur = cur->overflow) {
            }
            j = bucketCnt - 1;
          } else {
            --j;
          }
          if (cur->tophash[j] != emptyOne) break;
        }
      }
      --h_.count;
      if (h_.count == 0) h_.hash0 = static_cast<std::uint32_t>(fastrand_.next());  // issue 25237
      if (harness::recording()) harness::note(fmt::format("removed key {}, count={}", key, h_.count));
      done = true;
      break;
    }
  }
  recheck_and_clear_writing("mapdelete.recheck-writing", "mapdelete.clear-writing.load",
                            "mapdelete.clear-writing.store");
}

void GoMap::mapclear() {
  entry_point("mapclear.check-writing", AccessKind::kRead, true);
  if (nil_ || h_.count == 0) return;
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map writes");
  set_writing("mapclear.set-writing.load", "mapclear.set-writing.store");
  step("mapclear.zero", AccessKind::kWrite);
  h_.flags &= static_cast<std::uint8_t>(~sameSizeGrow);
  h_.oldbuckets = nullptr;
  h_.nevacuate = 0;
  h_.noverflow = 0;
  h_.count = 0;
  h_.hash0 = static_cast<std::uint32_t>(fastrand_.next());
  // makeBucketArray(B, buckets): zero the array in place (an iterator that
  // holds it sees the zeroes), keep B.
  auto [buckets, next] = makeBucketArray(h_.B, h_.buckets);
  h_.buckets = buckets;
  h_.nextOverflow = next;
  recheck_and_clear_writing("mapclear.recheck-writing", "mapclear.clear-writing.load", "mapclear.clear-writing.store");
}

std::int64_t GoMap::maplen() {
  // Compiled inline as "nil ? 0 : load count": never checked, never fatal.
  entry_point("maplen", AccessKind::kRead, false);
  return nil_ ? 0 : h_.count;
}

std::pair<Value, bool> GoMap::get_or_put(Key key, Value value) {
  // Plain Go has no LoadOrStore: v, ok := m[k]; if !ok { m[k] = v }.
  if (std::optional<Value> existing = mapaccess(key)) return {*existing, true};
  mapassign(key, value);
  return {value, false};
}

std::optional<Value> GoMap::get_and_delete(Key key) {
  std::optional<Value> existing = mapaccess(key);
  mapdelete(key);
  return existing;
}

}  // namespace maps
