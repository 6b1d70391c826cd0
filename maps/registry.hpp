// Map kinds by name: scenarios name a kind ("go", "sync", "mutex", …) and
// users register their own C++ maps beside the built-in ones.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "maps/map.hpp"

namespace maps {

/// What a scenario can say about a map; each kind uses what applies to it.
struct MapParams {
  std::string name = "m";
  bool nil = false;               ///< go: a nil map
  std::uint8_t B = 0;             ///< go-based kinds: initial log2 bucket count
  std::uint32_t hash_seed = 0;    ///< go-based kinds: hash0
  std::uint32_t shards = 4;       ///< sharded
  bool single_processor = false;  ///< go-based kinds: GOMAXPROCS=1
  bool explore_iteration_start = true;  ///< go-based kinds: the random start is a data choice
};

struct MapKind {
  std::string name;
  std::string description;
  std::function<std::unique_ptr<ConcurrentMap>(const MapParams&)> make;
};

class MapRegistry {
 public:
  /// The registry with the built-in kinds.
  static MapRegistry& global();

  /// Throws std::invalid_argument if the name is taken.
  void add(MapKind kind);
  const MapKind* find(std::string_view name) const;
  /// Sorted, for error messages ("known kinds: cow, go, …").
  std::vector<std::string> names() const;

 private:
  std::map<std::string, MapKind, std::less<>> kinds_;
};

/// Registers an end-of-execution check: a broken invariant of `map` ends the
/// execution with outcome `corruption`.
void check_invariants_at_end(std::shared_ptr<ConcurrentMap> map);

}  // namespace maps
