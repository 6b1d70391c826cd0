// The interface every map under test offers, whatever its kind: the
// operations scenarios use, named after Go's map and sync.Map operations.
// Keys and values are int64 (the race stories need no more).
//
// Every implementation routes its visible steps through the engine's
// preemption points, so concurrent calls from goroutines interleave.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace maps {

using Key = std::int64_t;
using Value = std::int64_t;

class ConcurrentMap {
 public:
  virtual ~ConcurrentMap() = default;

  /// m[k] with the comma-ok form: nullopt when absent.
  virtual std::optional<Value> get(Key key) = 0;
  /// m[k] = v.
  virtual void put(Key key, Value value) = 0;
  /// delete(m, k).
  virtual void erase(Key key) = 0;
  /// len(m).
  virtual std::int64_t len() = 0;
  /// for k, v := range m; stops when `visit` returns false.
  virtual void range(const std::function<bool(Key, Value)>& visit) = 0;
  /// Removes every key (Go's clear idiom / sync.Map Range+Delete).
  virtual void clear() = 0;
  /// sync.Map's LoadOrStore: the existing value and true, or stores `value`
  /// and returns it with false.
  virtual std::pair<Value, bool> get_or_put(Key key, Value value) = 0;
  /// sync.Map's LoadAndDelete.
  virtual std::optional<Value> get_and_delete(Key key) = 0;
  /// m[k] op= x (and m[k]++): stores next(old), old being m[k] or 0 when
  /// absent. By default a read, then a write (m[k] = m[k] op x: what Go
  /// compiles under -race, and for /= and %=); GoMap overrides it with Go's
  /// normal compilation, one mapassign and a load and a store through the
  /// returned pointer.
  virtual void update(Key key, const std::function<Value(Value)>& next) { put(key, next(get(key).value_or(0))); }
  /// m[k] = m[k] op x, a read then a write: how Go compiles m[k] /= x and
  /// m[k] %= x (and every op= under -race). Kinds with a lock hold it across both.
  virtual void read_then_write(Key key, const std::function<Value(Value)>& next) {
    put(key, next(get(key).value_or(0)));
  }

  /// Structural invariants, checked after an execution: a description of
  /// the first broken one (silent corruption), or nullopt.
  virtual std::optional<std::string> check_invariants() { return std::nullopt; }
  /// The contents without preemption points, in ascending key order, for
  /// end-of-execution checks.
  virtual std::vector<std::pair<Key, Value>> snapshot() const = 0;
};

}  // namespace maps
