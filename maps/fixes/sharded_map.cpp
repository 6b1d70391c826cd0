#include "maps/fixes/sharded_map.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace maps {

ShardedMap::ShardedMap(const GoMapOptions& options, std::uint32_t shards) {
  for (std::uint32_t i = 0; i < std::max<std::uint32_t>(shards, 1); ++i) {
    GoMapOptions shard_options = options;
    shard_options.name = fmt::format("{}.shard{}", options.name, i);
    shard_options.hash_seed = options.hash_seed + i;
    shards_.push_back(std::make_unique<MutexMap>(shard_options));
  }
}

MutexMap& ShardedMap::shard(Key key) {
  constexpr std::uint32_t kShardSeed = 0x5eed;
  return *shards_[goruntime::hash_key(key, kShardSeed) % shards_.size()];
}

std::int64_t ShardedMap::len() {
  std::int64_t total = 0;
  for (auto& s : shards_) total += s->len();
  return total;
}

void ShardedMap::range(const std::function<bool(Key, Value)>& visit) {
  bool going = true;
  for (auto& s : shards_) {
    if (!going) break;
    s->range([&](Key k, Value v) { return going = visit(k, v); });
  }
}

void ShardedMap::clear() {
  for (auto& s : shards_) s->clear();
}

std::optional<std::string> ShardedMap::check_invariants() {
  for (auto& s : shards_)
    if (auto bad = s->check_invariants()) return bad;
  return std::nullopt;
}

std::vector<std::pair<Key, Value>> ShardedMap::snapshot() const {
  std::vector<std::pair<Key, Value>> all;
  for (const auto& s : shards_) {
    auto part = s->snapshot();
    all.insert(all.end(), part.begin(), part.end());
  }
  std::sort(all.begin(), all.end());
  return all;
}

}  // namespace maps
