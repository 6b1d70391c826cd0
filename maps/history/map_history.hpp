// The history of a map's operations in one execution, and whether it is
// linearizable: explained by some sequential order of the same operations
// on a plain map, consistent with real time (harness/check/linearizability.hpp).
//
// RecordingMap wraps any ConcurrentMap and records each call (before the
// wrapped operation's first preemption point) and return (after its last)
// with the goroutine that made it and its result; it adds no preemption
// point. `range` is not recorded: Go's range over a map, sync.Map's Range
// included, is not a snapshot, so no sequential order need explain it.
//
// The check is per key (P-compositionality: put, get, delete, LoadOrStore,
// LoadAndDelete and m[k] op= touch one key), unless the history has a
// whole-map operation (len, clear), which makes it one search. When the
// execution ended with every goroutine done, the map's final contents are
// read at the end, after every call: a lost update shows there.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "maps/map.hpp"

namespace maps {

struct MapCall {
  enum class Kind : unsigned char {
    kGet, kPut, kErase, kLen, kClear, kGetOrPut, kGetAndDelete, kUpdate, kFinal,
  };
  Kind kind = Kind::kGet;
  std::string goroutine;  ///< "" outside a goroutine (the final read)
  Key key = 0;
  Value value = 0;                  ///< put's, get_or_put's, update's new value
  std::optional<Value> result;      ///< get, get_and_delete, final: what it read; update: the old value
  bool loaded = false;              ///< get_or_put
  std::int64_t length = 0;          ///< len
  std::uint64_t call = 0;
  std::optional<std::uint64_t> returned;  ///< none: pending (its goroutine never returned)

  bool whole_map() const { return kind == Kind::kLen || kind == Kind::kClear; }
  bool read_only() const { return kind == Kind::kGet || kind == Kind::kLen || kind == Kind::kFinal; }
  /// "m[1] = 2", "m[1] → 2, true", "len(m) → 3".
  std::string describe(const std::string& map_name) const;
};

/// The calls and returns of one map in one execution.
class MapHistory {
 public:
  /// Records a call; returns its index for returned().
  std::size_t called(MapCall call);
  void returned(std::size_t index);
  /// The map's contents once every goroutine is done: one read per key
  /// ever touched or present, after every call.
  void final_contents(const std::vector<std::pair<Key, Value>>& contents, const std::vector<Key>& initial_keys);
  const std::vector<MapCall>& calls() const { return calls_; }
  MapCall& at(std::size_t index) { return calls_.at(index); }

 private:
  std::vector<MapCall> calls_;
  std::uint64_t clock_ = 0;
};

struct LinearizabilityVerdict {
  bool linearizable = true;
  bool unknown = false;  ///< a search gave up (too large): nothing is claimed
  /// When not linearizable: a smallest sub-history that is not (the other
  /// keys' calls, then every read-only call whose removal keeps it so),
  /// as a table, and why.
  std::string table;
};

/// REQUIRES: `initial` is the map's contents before the first recorded call.
LinearizabilityVerdict check_history(const MapHistory& history, const std::vector<std::pair<Key, Value>>& initial,
                                     const std::string& map_name);

/// Wraps `inner`, recording into `history`.
class RecordingMap final : public ConcurrentMap {
 public:
  RecordingMap(std::shared_ptr<ConcurrentMap> inner, std::shared_ptr<MapHistory> history)
      : inner_(std::move(inner)), history_(std::move(history)) {}

  std::optional<Value> get(Key key) override;
  void put(Key key, Value value) override;
  void erase(Key key) override;
  std::int64_t len() override;
  void range(const std::function<bool(Key, Value)>& visit) override { inner_->range(visit); }
  void clear() override;
  std::pair<Value, bool> get_or_put(Key key, Value value) override;
  std::optional<Value> get_and_delete(Key key) override;
  void update(Key key, const std::function<Value(Value)>& next) override;
  void read_then_write(Key key, const std::function<Value(Value)>& next) override;
  std::optional<std::string> check_invariants() override { return inner_->check_invariants(); }
  std::vector<std::pair<Key, Value>> snapshot() const override { return inner_->snapshot(); }

 private:
  using Update = void (ConcurrentMap::*)(Key, const std::function<Value(Value)>&);
  std::size_t call(MapCall::Kind kind, Key key, Value value = 0);
  void record_update(Key key, const std::function<Value(Value)>& next, Update how);

  std::shared_ptr<ConcurrentMap> inner_;
  std::shared_ptr<MapHistory> history_;
};

}  // namespace maps
