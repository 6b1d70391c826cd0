// GoMap's reads and writes: mapaccess2, mapassign, mapdelete, mapclear and
// len, in the order of Go 1.19's runtime/map.go (reference §5).
#include "maps/go/go_map.hpp"

#include <fmt/format.h>

namespace maps {

using namespace goruntime;
using harness::AccessKind;
using harness::Operation;
using harness::Touch;

GoMap::GoMap(GoMapOptions options)
    : options_(std::move(options)),
      nil_(options_.nil),
      ref_("gomap", options_.name, this),
      flags_ref_("gomap.flags", options_.name + ".flags", this),
      count_ref_("gomap.count", options_.name + ".count", this),
      header_ref_("gomap.header", options_.name + ".header", this),
      fastrand_(0x6f72616e64ull ^ options_.hash_seed),
      heap_(options_.name) {
  h_.hash0 = options_.hash_seed;
  h_.B = options_.B;
  if (!nil_ && h_.B > 0) {
    auto [buckets, next] = makeBucketArray(h_.B);
    h_.buckets = buckets;
    h_.nextOverflow = next;
  }
}

GoMap::~GoMap() = default;

Operation GoMap::whole(std::string_view label, AccessKind access) { return Operation{label, ref_.id(), access}; }

void GoMap::remember_part(harness::ObjectId object, PartKind kind, bptr bucket) {
  if (object == harness::kNoObject) return;
  const std::size_t at = harness::index(object);
  if (parts_.size() <= at) parts_.resize(at + 1);
  parts_[at] = PartOf{kind, bucket, ref_.generation()};
}

void GoMap::hash_header(harness::StateHasher& hasher) const {
  hasher.add(h_.B);
  hasher.add(h_.noverflow);
  hasher.add(h_.buckets.block);
  hasher.add(h_.buckets.index);
  hasher.add(h_.oldbuckets.block);
  hasher.add(h_.oldbuckets.index);
  hasher.add(h_.nevacuate);
  hasher.add(h_.nextOverflow.block);
  hasher.add(h_.nextOverflow.index);
  hasher.add(fastrand_.state());
}

void GoMap::hash_observed(harness::ObjectId object, harness::AccessKind access, harness::StateHasher& hasher) const {
  PartOf part = harness::index(object) < parts_.size() ? parts_[harness::index(object)] : PartOf{};
  if (part.generation != ref_.generation()) part.kind = PartKind::kNone;
  hasher.add(static_cast<std::uint64_t>(part.kind));
  hasher.add(h_.hash0);
  const bool stores_only = access == harness::AccessKind::kWrite && part.kind != PartKind::kWhole &&
                           part.kind != PartKind::kNone;
  if (stores_only) {
    if (part.kind == PartKind::kBucket) {
      hasher.add(part.bucket.block);
      hasher.add(part.bucket.index);
    }
    return;
  }
  switch (part.kind) {
    case PartKind::kFlags: hasher.add(h_.flags); return;
    case PartKind::kCount: hasher.add(static_cast<std::uint64_t>(h_.count)); return;
    case PartKind::kHeader: hash_header(hasher); return;
    case PartKind::kBucket: heap_.hash_bucket(part.bucket, hasher); return;
    case PartKind::kWhole:
    case PartKind::kNone: hash_state(hasher); return;  // unknown: everything, which covers it
  }
}

void GoMap::hash_state(harness::StateHasher& hasher) const {
  hasher.add(nil_ ? 1 : 0);
  hasher.add(h_.hash0);
  hasher.add(h_.flags);
  hasher.add(static_cast<std::uint64_t>(h_.count));
  hash_header(hasher);
  heap_.hash_state(hasher);
}

Operation GoMap::part(std::string_view label, harness::ObjectId object, AccessKind access, Touch also0, Touch also1) {
  return Operation{label, object, access, nullptr, {also0, also1}, ref_.id()};
}

void GoMap::register_words() {
  const harness::ObjectId whole = ref_.id();
  if (words_generation_ == ref_.generation()) return;  // done in this run
  words_generation_ = ref_.generation();
  remember_part(whole, PartKind::kWhole);
  remember_part(flags_ref_.id(), PartKind::kFlags);
  remember_part(count_ref_.id(), PartKind::kCount);
  remember_part(header_ref_.id(), PartKind::kHeader);
}

harness::ObjectId GoMap::part_object(harness::ObjectRef& part) {
  const harness::ObjectId whole = ref_.id();
  // Outside an execution (kNoObject) no step is taken: nothing to name.
  if (whole == harness::kNoObject || options_.single_processor) return whole;
  register_words();
  return part.id();
}

harness::ObjectId GoMap::bucket_object(bptr b) {
  const harness::ObjectId whole = ref_.id();
  // Outside an execution (kNoObject) no step is taken: nothing to name. A
  // nil dereference panics; the whole covers it.
  if (whole == harness::kNoObject || b.nil() || options_.single_processor) return whole;
  register_words();  // before any bucket, whichever argument is evaluated first
  auto it = bucket_refs_.find({b.block, b.index});
  if (it == bucket_refs_.end())
    it = bucket_refs_
             .try_emplace({b.block, b.index}, "gomap.bucket",
                          fmt::format("{}.bucket[{}:{}]", options_.name, b.block, b.index),
                          static_cast<const harness::StateSource*>(this))
             .first;
  const harness::ObjectId id = it->second.id();
  remember_part(id, PartKind::kBucket, b);
  return id;
}

void GoMap::entry_point(const Operation& operation, bool writes) {
  // An access kind covers everything the step does up to the next point. In
  // single-processor mode that is the whole call: the whole map, and a
  // writer's entry writes.
  if (options_.single_processor)
    harness::point(whole(operation.label, writes ? AccessKind::kRmw : operation.access));
  else
    harness::point(operation);
}

void GoMap::step(const Operation& operation) {
  if (!options_.single_processor) harness::point(operation);
}

void GoMap::alloc_point(const Operation& operation) {
  harness::point(options_.single_processor ? whole(operation.label, AccessKind::kRmw) : operation);
}

void GoMap::note_flags(std::string_view what, std::uint8_t flags) {
  if (harness::recording()) harness::note(fmt::format("{} flags={}", what, flags));
}

// SET: h.flags ^= hashWriting, a plain load then a plain store.
void GoMap::set_writing(std::string_view load_label, std::string_view store_label) {
  step(part(load_label, flags_object(), AccessKind::kRead));
  const std::uint8_t seen = h_.flags;
  note_flags("read", seen);
  // The store, then (up to the next point) the reads of B, buckets and
  // oldbuckets that pick the bucket, and of flags for oldbucketmask.
  step(part(store_label, flags_object(), AccessKind::kWrite, Touch{header_object(), AccessKind::kRead}));
  h_.flags = seen ^ hashWriting;
  note_flags("wrote", h_.flags);
}

// RECHECK then CLEAR (h.flags &^= hashWriting, again load then store).
void GoMap::recheck_and_clear_writing(std::string_view recheck_label, std::string_view load_label,
                                      std::string_view store_label) {
  step(part(recheck_label, flags_object(), AccessKind::kRead));
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) == 0) harness::fatal("concurrent map writes");
  step(part(load_label, flags_object(), AccessKind::kRead));
  const std::uint8_t seen = h_.flags;
  note_flags("read", seen);
  step(part(store_label, flags_object(), AccessKind::kWrite));
  h_.flags = seen & static_cast<std::uint8_t>(~hashWriting);
  note_flags("wrote", h_.flags);
}

// The bucket a lookup reads: the old one while it is not yet evacuated.
goruntime::bptr GoMap::lookup_bucket(std::uint64_t hash) const {
  std::uint64_t m = bucketMask(h_.B);
  bptr b = h_.buckets.plus(hash & m);
  if (const bptr old = h_.oldbuckets; !old.nil()) {
    if (!sameSize()) m >>= 1;  // there used to be half as many buckets
    const bptr oldb = old.plus(hash & m);
    if (!evacuated(heap_.at(oldb, "mapaccess"))) b = oldb;
  }
  return b;
}

std::optional<Value> GoMap::mapaccess(Key key) {
  // Reads count, flags, the header and, while growing, an old bucket that
  // depends on B when the step runs: the whole map.
  entry_point(whole("mapaccess.check-writing", AccessKind::kRead), false);
  if (harness::recording()) harness::note(fmt::format("m[{}]", key));
  if (nil_ || h_.count == 0) return std::nullopt;  // no check on this path
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map read and map write");
  const std::uint64_t hash = hash_key(key, h_.hash0);
  const std::uint8_t top = tophash(hash);
  ChainGuard guard(heap_, "mapaccess");
  for (bptr p = lookup_bucket(hash); !p.nil(); p = heap_.at(p, "mapaccess").overflow) {
    guard.hop();
    step(part("mapaccess.probe", bucket_object(p), AccessKind::kRead));
    const bmap& b = heap_.at(p, "mapaccess");
    for (int i = 0; i < bucketCnt; ++i) {
      if (b.tophash[i] != top) {
        if (b.tophash[i] == emptyRest) return std::nullopt;
        continue;
      }
      if (b.keys[i] == key) {
        if (harness::recording()) harness::note(fmt::format("found key {} = {}", key, b.elems[i]));
        return b.elems[i];
      }
    }
  }
  return std::nullopt;
}

GoMap::ElemSlot GoMap::mapassign_slot(Key key, std::optional<Value> value) {
  if (nil_) {
    entry_point(whole("mapassign.nil", AccessKind::kNone), false);
    harness::panic("assignment to entry in nil map");
  }
  entry_point(part("mapassign.check-writing", flags_object(), AccessKind::kRead), true);  // and hash0
  if (harness::recording())
    harness::note(value ? fmt::format("m[{}] = {}", key, *value) : fmt::format("m[{}] op= (one mapassign)", key));
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map writes");
  const std::uint64_t hash = hash_key(key, h_.hash0);
  set_writing("mapassign.set-writing.load", "mapassign.set-writing.store");
  if (h_.buckets.nil()) {
    // h.buckets = newobject(t.bucket): the first bucket of a map made
    // without a size hint is allocated here, with hashWriting set, and the
    // allocation can park this goroutine (even with GOMAXPROCS=1).
    // Then B, buckets, oldbuckets (and flags, for oldbucketmask) are read.
    alloc_point(part("mapassign.newobject", header_object(), AccessKind::kRmw,
                     Touch{flags_object(), AccessKind::kRead}));
    h_.buckets = heap_.alloc(1);
  }

  bptr insertb;
  int inserti = 0;
  bptr elem_bucket;  // where the value goes
  int elem_index = 0;
  for (;;) {  // again:
    const std::uint64_t bucket = hash & bucketMask(h_.B);
    if (growing()) growWork(bucket);
    bptr b = h_.buckets.plus(bucket);
    const std::uint8_t top = tophash(hash);
    insertb = nilBucket;
    ChainGuard guard(heap_, "mapassign");
    for (;;) {  // bucketloop
      guard.hop();
      // Read-modify-write: the step that ends the probe may go on to chain a
      // preallocated overflow bucket or mark a same-size growth.
      // The whole map: see the header comment.
      step(whole("mapassign.probe", AccessKind::kRmw));
      const bmap& probed = heap_.at(b, "mapassign");
      bool stop = false;
      for (int i = 0; i < bucketCnt && !stop; ++i) {
        if (probed.tophash[i] != top) {
          if (isEmpty(probed.tophash[i]) && insertb.nil()) {
            insertb = b;
            inserti = i;
          }
          if (probed.tophash[i] == emptyRest) stop = true;
          continue;
        }
        if (probed.keys[i] != key) continue;
        elem_bucket = b;  // already there: overwrite (done:)
        elem_index = i;
        stop = true;
      }
      if (stop || probed.overflow.nil()) break;
      b = probed.overflow;
    }
    if (!elem_bucket.nil()) break;
    // Not found. Grow if this insert would overload the map.
    if (!growing() && (overLoadFactor(h_.count + 1, h_.B) || tooManyOverflowBuckets(h_.noverflow, h_.B))) {
      hashGrow();
      continue;  // goto again: the table changed
    }
    if (insertb.nil()) {  // every slot is full: chain a new bucket
      insertb = newoverflow(b, false);
      inserti = 0;
    }
    step(part("mapassign.insert", bucket_object(insertb), AccessKind::kWrite,
              Touch{count_object(), AccessKind::kRmw}));
    bmap& inserted = heap_.at(insertb, "mapassign");
    inserted.keys[inserti] = key;
    inserted.tophash[inserti] = top;
    ++h_.count;
    if (harness::recording()) harness::note(fmt::format("key {} in slot {}, count={}", key, inserti, h_.count));
    elem_bucket = insertb;
    elem_index = inserti;
    break;
  }
  recheck_and_clear_writing("mapassign.recheck-writing", "mapassign.clear-writing.load",
                            "mapassign.clear-writing.store");
  return ElemSlot{elem_bucket, elem_index};
}

void GoMap::mapassign(Key key, Value value) {
  const ElemSlot slot = mapassign_slot(key, value);
  // Compiled code stores the value through the returned pointer, after the
  // writing flag is already clear.
  step(part("mapassign.store-elem", bucket_object(slot.bucket), AccessKind::kWrite));
  heap_.at(slot.bucket, "mapassign").elems[slot.index] = value;
  if (harness::recording()) harness::note(fmt::format("m[{}] = {}", key, value));
}

void GoMap::mapassign_update(Key key, const std::function<Value(Value)>& next) {
  const ElemSlot slot = mapassign_slot(key, std::nullopt);
  // `*p = *p op x` through the returned pointer: a plain load, then a plain
  // store (even amd64's one-instruction INCQ without LOCK reads and writes
  // separately), both after hashWriting is clear.
  step(part("mapassign.load-elem", bucket_object(slot.bucket), AccessKind::kRead));
  const Value old = heap_.at(slot.bucket, "mapassign").elems[slot.index];
  if (harness::recording()) harness::note(fmt::format("read m[{}] = {}", key, old));
  const Value value = next(old);
  step(part("mapassign.store-elem", bucket_object(slot.bucket), AccessKind::kWrite));
  heap_.at(slot.bucket, "mapassign").elems[slot.index] = value;
  if (harness::recording()) harness::note(fmt::format("m[{}] = {}", key, value));
}

void GoMap::mapdelete(Key key) {
  entry_point(part("mapdelete.check-writing", count_object(), AccessKind::kRead,
                   Touch{flags_object(), AccessKind::kRead}),
              true);
  if (harness::recording()) harness::note(fmt::format("delete(m, {})", key));
  if (nil_ || h_.count == 0) return;  // a no-op, and no check on this path
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map writes");
  const std::uint64_t hash = hash_key(key, h_.hash0);
  set_writing("mapdelete.set-writing.load", "mapdelete.set-writing.store");

  const std::uint64_t bucket = hash & bucketMask(h_.B);
  if (growing()) growWork(bucket);
  const bptr borig = h_.buckets.plus(bucket);
  const std::uint8_t top = tophash(hash);
  bool done = false;
  ChainGuard guard(heap_, "mapdelete");
  for (bptr p = borig; !p.nil() && !done; p = heap_.at(p, "mapdelete").overflow) {
    guard.hop();
    step(part("mapdelete.probe", bucket_object(p), AccessKind::kRead));
    for (int i = 0; i < bucketCnt; ++i) {
      const bmap& b = heap_.at(p, "mapdelete");
      if (b.tophash[i] != top) {
        if (b.tophash[i] == emptyRest) {
          done = true;
          break;
        }
        continue;
      }
      if (b.keys[i] != key) continue;
      // The whole map: see the header comment.
      step(whole("mapdelete.remove", AccessKind::kWrite));
      bmap& removed = heap_.at(p, "mapdelete");
      removed.keys[i] = 0;
      removed.elems[i] = 0;
      removed.tophash[i] = emptyOne;
      // If the slot now ends a run of empties, turn the run into emptyRest.
      const bool last_in_use = i == bucketCnt - 1 ? (removed.overflow.nil() ||
                                                      heap_.at(removed.overflow, "mapdelete").tophash[0] == emptyRest)
                                                   : removed.tophash[i + 1] == emptyRest;
      if (last_in_use) {
        bptr cur = p;
        int j = i;
        for (;;) {
          heap_.at(cur, "mapdelete").tophash[j] = emptyRest;
          if (j == 0) {
            if (cur == borig) break;  // beginning of the chain
            const bptr c = cur;       // find the previous bucket
            ChainGuard back(heap_, "mapdelete");
            for (cur = borig; heap_.at(cur, "mapdelete").overflow != c; cur = heap_.at(cur, "mapdelete").overflow)
              back.hop();
            j = bucketCnt - 1;
          } else {
            --j;
          }
          if (heap_.at(cur, "mapdelete").tophash[j] != emptyOne) break;
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
  entry_point(part("mapclear.check-writing", count_object(), AccessKind::kRead,
                   Touch{flags_object(), AccessKind::kRead}),
              true);
  if (nil_ || h_.count == 0) return;
  note_flags("read", h_.flags);
  if ((h_.flags & hashWriting) != 0) harness::fatal("concurrent map writes");
  set_writing("mapclear.set-writing.load", "mapclear.set-writing.store");
  step(whole("mapclear.zero", AccessKind::kWrite));
  h_.flags &= static_cast<std::uint8_t>(~sameSizeGrow);
  h_.oldbuckets = nilBucket;
  h_.nevacuate = 0;
  h_.noverflow = 0;
  h_.count = 0;
  h_.hash0 = static_cast<std::uint32_t>(fastrand_.next());
  // makeBucketArray(B, buckets): zero the array in place (an iterator that
  // holds it sees the zeroes), keep B; h.extra is cleared first.
  h_.nextOverflow = nilBucket;
  auto [buckets, next] = makeBucketArray(h_.B, h_.buckets);
  h_.buckets = buckets;
  if (!next.nil()) h_.nextOverflow = next;
  recheck_and_clear_writing("mapclear.recheck-writing", "mapclear.clear-writing.load", "mapclear.clear-writing.store");
}

std::int64_t GoMap::maplen() {
  // Compiled inline as "nil ? 0 : load count": never checked, never fatal.
  entry_point(part("maplen", count_object(), AccessKind::kRead), false);
  return nil_ ? 0 : h_.count;
}

std::pair<Value, bool> GoMap::get_or_put(Key key, Value value) {
  // Plain Go has no LoadOrStore: v, ok := m[k]; if !ok { m[k] = v }.
  race(false, "mapaccess: m[k]");
  if (std::optional<Value> existing = mapaccess(key)) return {*existing, true};
  race(true, "mapassign: m[k] = v");
  mapassign(key, value);
  return {value, false};
}

std::optional<Value> GoMap::get_and_delete(Key key) {
  race(false, "mapaccess: m[k]");
  std::optional<Value> existing = mapaccess(key);
  race(true, "mapdelete: delete(m, k)");
  mapdelete(key);
  return existing;
}

}  // namespace maps
