// A sharded map: N Go maps, each behind its own mutex; a key's shard is
// chosen by a hash independent of the shards' own hash seeds.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "maps/fixes/locked_map.hpp"

namespace maps {

class ShardedMap final : public ConcurrentMap {
 public:
  ShardedMap(const GoMapOptions& options, std::uint32_t shards);

  std::optional<Value> get(Key key) override { return shard(key).get(key); }
  void put(Key key, Value value) override { shard(key).put(key, value); }
  void erase(Key key) override { shard(key).erase(key); }
  std::int64_t len() override;
  void range(const std::function<bool(Key, Value)>& visit) override;
  void clear() override;
  std::pair<Value, bool> get_or_put(Key key, Value value) override { return shard(key).get_or_put(key, value); }
  std::optional<Value> get_and_delete(Key key) override { return shard(key).get_and_delete(key); }
  void update(Key key, const std::function<Value(Value)>& next) override { shard(key).update(key, next); }
  void read_then_write(Key key, const std::function<Value(Value)>& next) override {
    shard(key).read_then_write(key, next);
  }
  std::optional<std::string> check_invariants() override;
  std::vector<std::pair<Key, Value>> snapshot() const override;

 private:
  MutexMap& shard(Key key);
  std::vector<std::unique_ptr<MutexMap>> shards_;
};

}  // namespace maps
