// GoMap: a step-for-step model of Go 1.19's runtime map (map[int64]int64),
// including its best-effort concurrent-misuse checks and their exact fatal
// messages. See ../shared/reference/go-map.md; Go's identifiers are kept.
//
// Each point's access kind covers everything its step does until the next
// point (what partial-order reduction relies on).
//
// Where the preemption points are, and why:
// - Every operation starts with an *entry* point (mapaccess/mapassign/…
//   ".check-writing", "maplen", "mapiterinit"): goroutines interleave
//   between map calls there, in every mode.
// - hashWriting is a plain byte updated by a read-modify-write, so SET and
//   CLEAR are two points each (".set-writing.load" then ".store"): two
//   writers can both read 0 and both store 4, which is how Go misses an
//   overlap. The re-check at the end of assign/delete is its own point.
// - Bucket probes, the insert/delete of a slot, and the value store that
//   compiled code does after mapassign returns are points too: a racing
//   goroutine can act between them, which is how silent corruption (a key
//   lost, a wrong count) arises.
// - Evacuation (growWork → evacuate) has two kinds of points: "evacuate",
//   before the old bucket's evacuated() check (which reads tophash[0]), and
//   "evacuate.bucket", before each bucket of the old chain is moved (its
//   slots marked evacuatedX/Y/Empty and copied to the new array). That is the
//   granularity at which Go's own throw can fire: two writers whose overlap
//   the flag missed both pass the check on one old bucket, the first moves
//   it, and the second meets a mark where it expects a key: "bad map state".
// - *Allocation* points: the first bucket of a map made without a size hint
//   (mapassign's `h.buckets = newobject(t.bucket)`), makeBucketArray in
//   hashGrow, and newoverflow when the preallocated pool is empty.
//   Allocation can start a GC cycle and park the goroutine with hashWriting
//   still set; with GOMAXPROCS=1 (`single_processor`) these and the entry
//   points are the only points, which is how real Go still dies with
//   "concurrent map writes" there.
//
// Objects (what partial-order reduction sees; harness/operation.hpp). The
// map is a whole object ("m") with parts: its flags word ("m.flags"), its
// count ("m.count"), the bucket-array header ("m.header": B, buckets,
// oldbuckets, nevacuate, noverflow, extra.nextOverflow and the model's
// fastrand state) and each bucket, main or overflow ("m.bucket[A:I]",
// bucket I of the map's A-th allocation, numbered in allocation order, so
// names never depend on addresses; ids are handed out in order of first use
// within the execution, as for every object). A step names every part it may
// touch up to its next point, each with its own access kind, so a step on
// the flags commutes with a step on a bucket, and two probes of different
// buckets commute; two steps that may touch one word, one of them writing,
// still conflict. hash0 has no part of its own: only whole-map steps write
// it, and every step that reads it names a part of the map.
// A step's objects are fixed when it is announced, before other goroutines
// run, so they must cover what the step may touch in *any* state it may run
// in, given only what the goroutine computed before the point (the bucket it
// probes, the slot it fills). A step whose footprint depends on shared state
// in a way not known then, or is larger than three parts, names the whole
// map (which conflicts with every step on any part):
// - mapaccess's entry (it reads an old bucket while a growth is under way,
//   which one depends on B then); mapiternext (it walks buckets until it
//   finds an entry);
// - mapassign's probe (once the key is not found it may start a growth or
//   take a bucket from the preallocated overflow pool);
// - mapdelete's remove (it walks the chain back to mark emptyRest, and may
//   re-seed hash0); mapclear's zeroing; every evacuation step;
// - every step under single_processor (a step is then the whole call), and
//   assignment to a nil map.
// Steps are not split to make them finer: the points are where they were,
// so dfs explores exactly the schedules it did.
//
// Memory: every bucket lives in the map's checked Heap (heap.hpp) for the
// whole execution, addressed by handles, as Go's GC keeps a stale array alive.
// Each field of h is read where Go reads it (hashGrow reads B for the new
// array's size before its allocation point and again after it), so racing
// writers can leave B and the arrays out of step, as in Go. An access that
// real Go would make through a stale pointer reads the stale storage; through
// nil it is Go's nil-dereference panic (recoverable); past the end of an
// allocation it ends the execution as `corruption`. Nothing in the model can
// touch memory outside its own storage, under any schedule.
//
// Departures from Go, none of which changes an outcome class Go can show:
// - fastrand (hash0 re-randomisation on emptying, incrnoverflow above B=15)
//   is a deterministic per-map sequence seeded by hash_seed; the iterator's
//   random start *is* a data choice (harness::choose), since it changes
//   what a goroutine observes.
// - Memory is never reused: old arrays and overflow buckets stay alive
//   until the map is destroyed (Go's GC keeps them alive while reachable).
// - Where real Go would read past an allocation into whatever memory lies
//   there, the model stops with `corruption` instead of guessing.
// - An overflow chain that racing writers turned into a cycle (real Go loops
//   for ever) ends the execution as `corruption`.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/harness.hpp"
#include "harness/rng.hpp"
#include "maps/go/heap.hpp"
#include "maps/go/hmap.hpp"
#include "maps/map.hpp"

namespace maps {

struct GoMapOptions {
  std::string name = "m";
  bool nil = false;                   ///< a nil map (var m map[int64]int64)
  std::uint8_t B = 0;                 ///< initial log2 bucket count (make with a size hint)
  std::uint32_t hash_seed = 0;        ///< hash0
  bool single_processor = false;      ///< GOMAXPROCS=1: points only at entries and allocations
  bool explore_iteration_start = true;  ///< false: iteration always starts at bucket 0, offset 0
};

class GoMap final : public ConcurrentMap, private harness::StateSource {
 public:
  explicit GoMap(GoMapOptions options);
  ~GoMap() override;
  GoMap(const GoMap&) = delete;  // its object refs name it as their StateSource
  GoMap& operator=(const GoMap&) = delete;

  // ---- Go's runtime operations ----
  std::optional<Value> mapaccess(Key key);  ///< mapaccess2: v, ok := m[k]
  void mapassign(Key key, Value value);     ///< m[k] = v
  /// m[k]++ and m[k] op= x as Go compiles them (reference §5.2): one
  /// mapassign, then, after it cleared hashWriting, a load
  /// ("mapassign.load-elem") and a store ("mapassign.store-elem") of
  /// next(old) through the returned pointer: unsynchronised steps a racing
  /// goroutine can come between, losing an increment that no check sees.
  void mapassign_update(Key key, const std::function<Value(Value)>& next);
  void mapdelete(Key key);                  ///< delete(m, k)
  void mapclear();                          ///< for k := range m { delete(m, k) }
  std::int64_t maplen();                    ///< len(m)
  void maprange(const std::function<bool(Key, Value)>& visit);  ///< mapiterinit + mapiternext

  // ---- ConcurrentMap ----
  // Each call is first one read or write of the whole map for the race
  // detector, where Go's compiler puts racereadpc/racewritepc.
  std::optional<Value> get(Key key) override {
    race(false, "mapaccess: m[k]");
    return mapaccess(key);
  }
  void put(Key key, Value value) override {
    race(true, "mapassign: m[k] = v");
    mapassign(key, value);
  }
  void update(Key key, const std::function<Value(Value)>& next) override {
    race(true, "mapassign: m[k] op= v");
    mapassign_update(key, next);
  }
  void erase(Key key) override {
    race(true, "mapdelete: delete(m, k)");
    mapdelete(key);
  }
  std::int64_t len() override {
    race(false, "len(m)");
    return maplen();
  }
  void range(const std::function<bool(Key, Value)>& visit) override {
    race(false, "mapiterinit: range m");
    maprange(visit);
  }
  void clear() override {
    race(true, "mapclear: clear(m)");
    mapclear();
  }
  std::pair<Value, bool> get_or_put(Key key, Value value) override;
  std::optional<Value> get_and_delete(Key key) override;
  std::optional<std::string> check_invariants() override;
  std::vector<std::pair<Key, Value>> snapshot() const override;

  const goruntime::hmap& header() const { return h_; }
  bool is_nil() const { return nil_; }
  bool growing() const { return !h_.oldbuckets.nil(); }

 private:
  // ---- harness::StateSource: the map's memory, for stateful search ----
  // A part's observation is its words plus hash0, which steps on every part
  // may read (hash0 has no part of its own; see the header comment).
  /// A part's kWrite steps only store (the flags, a slot, an elem, an
  /// overflow link): they read nothing of it. A whole-map kWrite step
  /// (mapdelete.remove, mapclear.zero) also reads: everything.
  void hash_observed(harness::ObjectId object, harness::AccessKind access, harness::StateHasher& hasher) const override;
  void hash_state(harness::StateHasher& hasher) const override;
  void hash_header(harness::StateHasher& hasher) const;
  /// What each object this map registered is, by ObjectId (filled as parts
  /// are first named in an execution; an entry of an earlier execution, whose
  /// ids meant other parts, counts as unknown: the whole map is hashed).
  enum class PartKind : std::uint8_t { kNone, kWhole, kFlags, kCount, kHeader, kBucket };
  struct PartOf {
    PartKind kind = PartKind::kNone;
    goruntime::bptr bucket;
    std::uint64_t generation = 0;  ///< the run it was registered in (ObjectRef::generation)
  };
  std::uint64_t words_generation_ = 0;  ///< the run whose words register_words() has registered
  void remember_part(harness::ObjectId object, PartKind kind, goruntime::bptr bucket = {});
  std::vector<PartOf> parts_;

  struct hiter;

  // Objects (see the header comment). `part` and `touch` name a part of
  // the map; `whole` the map itself.
  harness::Operation whole(std::string_view label, harness::AccessKind access);
  /// A read or write of the whole map for the race detector (when on).
  void race(bool write, std::string_view what) {
    if (!harness::detecting_races()) return;
    if (write) harness::race_write(ref_.id(), what);
    else harness::race_read(ref_.id(), what);
  }
  harness::Operation part(std::string_view label, harness::ObjectId object, harness::AccessKind access,
                          harness::Touch also0 = {}, harness::Touch also1 = {});
  harness::ObjectId flags_object() { return part_object(flags_ref_); }
  harness::ObjectId count_object() { return part_object(count_ref_); }
  harness::ObjectId header_object() { return part_object(header_ref_); }
  harness::ObjectId bucket_object(goruntime::bptr b);
  /// The whole is registered before its parts (it reads "object 0 = m" in
  /// a one-map trace); under single_processor every step names the whole,
  /// and no part is registered at all.
  harness::ObjectId part_object(harness::ObjectRef& part);
  /// Registers the map and its three words (flags, count, header) with the
  /// execution, in that order, if they are not yet: objects are numbered in
  /// traces by registration, and one step's objects are computed in one
  /// argument list, whose evaluation order C++ leaves to the compiler.
  void register_words();

  // Points (see the header comment).
  /// `writes`: the call goes on to write the map (matters with single_processor).
  void entry_point(const harness::Operation& operation, bool writes);
  /// A point of the multi-processor model only (none under single_processor).
  void step(const harness::Operation& operation);
  /// Under single_processor the step goes on to the end of the call: it
  /// names the whole map.
  void alloc_point(const harness::Operation& operation);
  void note_flags(std::string_view what, std::uint8_t flags);

  // The write protocol around hashWriting.
  void set_writing(std::string_view load_label, std::string_view store_label);
  void recheck_and_clear_writing(std::string_view recheck_label, std::string_view load_label,
                                 std::string_view store_label);

  /// Where mapassign's returned pointer points: the elem slot.
  struct ElemSlot {
    goruntime::bptr bucket;
    int index = 0;
  };
  /// mapassign up to its return (the elem's address); `value` only for the
  /// timeline's note (nullopt: an update, whose value is not known yet).
  ElemSlot mapassign_slot(Key key, std::optional<Value> value);

  // Lookups.
  goruntime::bptr lookup_bucket(std::uint64_t hash) const;
  std::optional<std::pair<Key, Value>> mapaccessK(Key key) const;  // no point, no check (iterator use)

  // Growth (grow.cpp).
  /// 2^b buckets plus, for b >= 4, 2^(b-4) preallocated overflow buckets;
  /// returns the array and the first preallocated overflow bucket. With
  /// `dirty` (an allocation of the same size), zeroes and reuses it.
  std::pair<goruntime::bptr, goruntime::bptr> makeBucketArray(std::uint8_t b, goruntime::bptr dirty = {});
  /// `in_evacuate`: the caller goes on moving entries after it (the step
  /// names the whole map).
  goruntime::bptr newoverflow(goruntime::bptr b, bool in_evacuate);
  void incrnoverflow();
  void hashGrow();
  void growWork(std::uint64_t bucket);
  void evacuate(std::uint64_t oldbucket);
  void advanceEvacuationMark(std::uint64_t newbit);
  std::uint64_t noldbuckets() const;
  std::uint64_t oldbucketmask() const { return noldbuckets() - 1; }
  bool sameSize() const { return (h_.flags & goruntime::sameSizeGrow) != 0; }

  /// B and the arrays agree in size (invariants.cpp); else what is wrong.
  std::optional<std::string> check_shape() const;

  // Iteration (iterate.cpp).
  bool mapiterinit(hiter& it);
  bool mapiternext(hiter& it);

  GoMapOptions options_;
  bool nil_;
  goruntime::hmap h_;
  harness::ObjectRef ref_;  ///< the whole map (every ref reports to *this as its StateSource)
  harness::ObjectRef flags_ref_;
  harness::ObjectRef count_ref_;
  harness::ObjectRef header_ref_;
  std::map<std::pair<std::uint32_t, std::uint64_t>, harness::ObjectRef> bucket_refs_;  ///< by (allocation, index)
  harness::Rng fastrand_;
  goruntime::Heap heap_;  ///< every bucket the map allocates, alive until the map is destroyed
};

}  // namespace maps
