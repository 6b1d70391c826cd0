// The fixes people reach for first: a Go map behind a sync.Mutex
// (MutexMap), or behind a sync.RWMutex with reads under RLock (RWMutexMap).
// Every operation holds the lock for the whole map call; range holds it for
// the whole iteration, so the visitor must not call back into the map.
#pragma once

#include <memory>
#include <string>

#include "harness/sync/mutex.hpp"
#include "harness/sync/rwmutex.hpp"
#include "maps/go/go_map.hpp"

namespace maps {

/// Lock is harness::Mutex or harness::RWMutex; reads take the shared side
/// when there is one.
template <typename Lock>
class LockedMap final : public ConcurrentMap {
 public:
  explicit LockedMap(GoMapOptions options) : lock_(options.name + ".mu"), map_(std::move(options)) {}

  std::optional<Value> get(Key key) override { return reading([&] { return map_.mapaccess(key); }); }
  void put(Key key, Value value) override {
    writing([&] { map_.mapassign(key, value); });
  }
  void erase(Key key) override {
    writing([&] { map_.mapdelete(key); });
  }
  std::int64_t len() override { return reading([&] { return map_.maplen(); }); }
  void range(const std::function<bool(Key, Value)>& visit) override {
    reading([&] { map_.maprange(visit); });
  }
  void clear() override {
    writing([&] { map_.mapclear(); });
  }
  std::pair<Value, bool> get_or_put(Key key, Value value) override {
    return writing([&] { return map_.get_or_put(key, value); });
  }
  std::optional<Value> get_and_delete(Key key) override {
    return writing([&] { return map_.get_and_delete(key); });
  }
  void update(Key key, const std::function<Value(Value)>& next) override {
    writing([&] { map_.mapassign_update(key, next); });  // mu.Lock(); m[k]++; mu.Unlock()
  }
  void read_then_write(Key key, const std::function<Value(Value)>& next) override {
    writing([&] { map_.mapassign(key, next(map_.mapaccess(key).value_or(0))); });  // mu.Lock(); m[k] /= x; …
  }
  std::optional<std::string> check_invariants() override { return map_.check_invariants(); }
  std::vector<std::pair<Key, Value>> snapshot() const override { return map_.snapshot(); }

  /// The lock and the bare map, for stories that use them wrongly (a read
  /// outside the lock, a write inside it).
  Lock& lock() { return lock_; }
  GoMap& unguarded() { return map_; }

 private:
  template <typename F>
  auto reading(F&& body) {
    if constexpr (requires(Lock& l) { l.rlock(); }) {
      lock_.rlock();
      // noexcept(false): runlock() is a preemption point, where an ended
      // execution abandons the goroutine and unwinds it (forced_unwind);
      // out of a noexcept destructor that would be std::terminate.
      struct Unlock {
        Lock& l;
        ~Unlock() noexcept(false) { l.runlock(); }
      } unlock{lock_};
      return body();
    } else {
      return writing(std::forward<F>(body));
    }
  }
  template <typename F>
  auto writing(F&& body) {
    lock_.lock();
    struct Unlock {  // noexcept(false): see above
      Lock& l;
      ~Unlock() noexcept(false) { l.unlock(); }
    } unlock{lock_};
    return body();
  }

  Lock lock_;
  GoMap map_;
};

using MutexMap = LockedMap<harness::Mutex>;
using RWMutexMap = LockedMap<harness::RWMutex>;

}  // namespace maps
