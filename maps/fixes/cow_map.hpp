// A copy-on-write snapshot map as people build it with Go's atomic.Value:
// readers load the current snapshot; a writer loads it, copies it, changes
// the copy and stores it back — with no lock. Every step is individually
// atomic, so Go's race detector stays silent, yet two concurrent writers
// both copy the same snapshot and the later store drops the other's update.
//
// With `cas_retry` (kind "cow-cas") it is the fix: the writer publishes its
// copy with atomic.Pointer's CompareAndSwap(old, copy) and, when another
// writer got there first, loads, copies and changes again (a retry loop), so
// no update is lost.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/sync/atomic.hpp"
#include "maps/map.hpp"

namespace maps {

class CowMap final : public ConcurrentMap, private harness::StateSource {
 public:
  explicit CowMap(std::string name = "cow", bool cas_retry = false);
  CowMap(const CowMap&) = delete;  // the execution holds it as a StateSource
  CowMap& operator=(const CowMap&) = delete;

  std::optional<Value> get(Key key) override;
  void put(Key key, Value value) override;
  void erase(Key key) override;
  std::int64_t len() override;
  void range(const std::function<bool(Key, Value)>& visit) override;
  void clear() override;
  std::pair<Value, bool> get_or_put(Key key, Value value) override;
  std::optional<Value> get_and_delete(Key key) override;
  void update(Key key, const std::function<Value(Value)>& next) override;
  /// The same copy-on-write update: the copy is read and written in one go.
  void read_then_write(Key key, const std::function<Value(Value)>& next) override { update(key, next); }
  std::vector<std::pair<Key, Value>> snapshot() const override;

 private:
  using Snapshot = std::map<Key, Value>;
  const Snapshot& load();
  /// The pointer loaded (one step) and the snapshot it points to.
  std::pair<std::uint64_t, const Snapshot*> load_versioned();
  /// Publishes `next` (one step): a Store, or with cas_retry a
  /// CompareAndSwap from `seen`, which fails if another writer published since.
  bool publish(std::uint64_t seen, Snapshot next);

  // Stateful search: the pointer is an atomic (an object of its own); the
  // snapshots it indexes are state of the map's, reported whole (they never
  // change once published, so an index read earlier means the same snapshot
  // in any two runs whose snapshots are the same now).
  void hash_state(harness::StateHasher& hasher) const override;

  bool cas_retry_;
  harness::Atomic<std::uint64_t> current_;  ///< index into versions_: atomic.Value's pointer
  std::vector<std::shared_ptr<const Snapshot>> versions_;
};

}  // namespace maps
