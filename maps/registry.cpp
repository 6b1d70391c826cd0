#include "maps/registry.hpp"

#include <stdexcept>

#include "harness/harness.hpp"
#include "maps/fixes/cow_map.hpp"
#include "maps/fixes/locked_map.hpp"
#include "maps/fixes/sharded_map.hpp"
#include "maps/go/go_map.hpp"
#include "maps/sync_map.hpp"

namespace maps {
namespace {

GoMapOptions go_options(const MapParams& p) {
  GoMapOptions options;
  options.name = p.name;
  options.nil = p.nil;
  options.B = p.B;
  options.hash_seed = p.hash_seed;
  options.single_processor = p.single_processor;
  options.explore_iteration_start = p.explore_iteration_start;
  return options;
}

void add_builtins(MapRegistry& registry) {
  registry.add({"go", "Go 1.19's runtime map, with its concurrent-misuse checks",
                [](const MapParams& p) { return std::make_unique<GoMap>(go_options(p)); }});
  registry.add({"sync", "Go 1.19's sync.Map", [](const MapParams& p) { return std::make_unique<SyncMap>(p.name); }});
  registry.add({"mutex", "a Go map behind a sync.Mutex",
                [](const MapParams& p) { return std::make_unique<MutexMap>(go_options(p)); }});
  registry.add({"rwmutex", "a Go map behind a sync.RWMutex, reads under RLock",
                [](const MapParams& p) { return std::make_unique<RWMutexMap>(go_options(p)); }});
  registry.add({"sharded", "N Go maps, each behind its own mutex",
                [](const MapParams& p) { return std::make_unique<ShardedMap>(go_options(p), p.shards); }});
  registry.add({"cow", "a copy-on-write snapshot behind an atomic pointer, no lock",
                [](const MapParams& p) { return std::make_unique<CowMap>(p.name); }});
  registry.add({"cow-cas", "a copy-on-write snapshot behind an atomic pointer, published by CompareAndSwap, retried",
                [](const MapParams& p) { return std::make_unique<CowMap>(p.name, true); }});
}

}  // namespace

MapRegistry& MapRegistry::global() {
  static MapRegistry registry = [] {
    MapRegistry r;
    add_builtins(r);
    return r;
  }();
  return registry;
}

void MapRegistry::add(MapKind kind) {
  const std::string name = kind.name;
  if (!kinds_.emplace(name, std::move(kind)).second)
    throw std::invalid_argument("map kind '" + name + "' is already registered");
}

const MapKind* MapRegistry::find(std::string_view name) const {
  auto it = kinds_.find(name);
  return it == kinds_.end() ? nullptr : &it->second;
}

std::vector<std::string> MapRegistry::names() const {
  std::vector<std::string> names;
  for (const auto& [name, kind] : kinds_) names.push_back(name);
  return names;
}

void check_invariants_at_end(std::shared_ptr<ConcurrentMap> map) {
  harness::at_end([map] {
    if (std::optional<std::string> broken = map->check_invariants())
      harness::report_failure(harness::OutcomeKind::kCorruption, *broken);
  });
}

}  // namespace maps
