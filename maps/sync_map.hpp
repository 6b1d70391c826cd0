// Go 1.19's sync.Map (reference §8), built on the engine's Mutex and Atomic:
// a read-only view behind an atomic pointer (with `amended`), a dirty map
// guarded by mu, a miss counter that promotes dirty to read once misses
// reach len(dirty), and entries whose pointer is a value, nil (deleted) or
// expunged (deleted and absent from dirty).
//
// Pointers are modelled as box ids: each stored value gets a fresh id, so a
// compare-and-swap compares identities as Go compares pointers, not values.
// Departure: Range visits read.m in ascending key order, not Go's random order.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "harness/sync/atomic.hpp"
#include "harness/sync/mutex.hpp"
#include "maps/map.hpp"

namespace maps {

class SyncMap final : public ConcurrentMap {
 public:
  explicit SyncMap(std::string name = "syncmap");

  std::optional<Value> load(Key key);
  void store(Key key, Value value);
  std::pair<Value, bool> load_or_store(Key key, Value value);
  std::optional<Value> load_and_delete(Key key);
  void remove(Key key) { load_and_delete(key); }  // Delete
  void range_all(const std::function<bool(Key, Value)>& visit);

  std::optional<Value> get(Key key) override { return load(key); }
  void put(Key key, Value value) override { store(key, value); }
  void erase(Key key) override { remove(key); }
  std::int64_t len() override;
  void range(const std::function<bool(Key, Value)>& visit) override { range_all(visit); }
  void clear() override;
  std::pair<Value, bool> get_or_put(Key key, Value value) override { return load_or_store(key, value); }
  std::optional<Value> get_and_delete(Key key) override { return load_and_delete(key); }
  std::optional<std::string> check_invariants() override;
  std::vector<std::pair<Key, Value>> snapshot() const override;

  /// For tests: how often dirty was promoted to read, and entries expunged.
  std::uint64_t promotions() const { return promotions_; }
  std::uint64_t expunged() const { return expunged_count_; }

 private:
  static constexpr std::uint64_t kNil = 0;
  static constexpr std::uint64_t kExpunged = 1;

  struct Entry {
    explicit Entry(std::uint64_t box, Key key) : p(box, "entry " + std::to_string(key)) {}
    harness::Atomic<std::uint64_t> p;  ///< kNil, kExpunged, or a box id
  };
  using EntryMap = std::map<Key, std::shared_ptr<Entry>>;
  struct ReadOnly {
    EntryMap m;
    bool amended = false;  ///< dirty holds a key m lacks
  };

  const ReadOnly& load_read_only();
  /// The entry for `key` as Load and LoadAndDelete find it: in read, else
  /// (while read is amended) in dirty under mu, counting a miss.
  std::shared_ptr<Entry> find_entry(Key key, bool remove_from_dirty);
  void publish(std::shared_ptr<const ReadOnly> read);
  std::uint64_t box(Value value);
  std::optional<Value> entry_load(Entry& e);
  bool try_store(Entry& e, std::uint64_t box);
  bool unexpunge_locked(Entry& e);
  bool try_expunge_locked(Entry& e);
  struct LoadOrStoreResult {
    Value actual;
    bool loaded;
    bool ok;
  };
  LoadOrStoreResult try_load_or_store(Entry& e, Value value);
  std::optional<Value> entry_delete(Entry& e);
  void miss_locked();
  void dirty_locked();
  void new_key_locked(Key key, Value value);

  harness::Mutex mu_;
  harness::Atomic<std::uint64_t> read_;  ///< index into versions_
  std::vector<std::shared_ptr<const ReadOnly>> versions_;
  std::unique_ptr<EntryMap> dirty_;  ///< guarded by mu_; null when absent
  std::int64_t misses_ = 0;          ///< guarded by mu_
  std::vector<Value> boxes_;         ///< box id - 2 -> the boxed value
  std::uint64_t promotions_ = 0;
  std::uint64_t expunged_count_ = 0;
};

}  // namespace maps
