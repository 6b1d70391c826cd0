#include "maps/fixes/cow_map.hpp"

namespace maps {

CowMap::CowMap(std::string name, bool cas_retry) : cas_retry_(cas_retry), current_(0, std::move(name)) {
  versions_.push_back(std::make_shared<const Snapshot>());
  harness::expose_state(*this);
}

void CowMap::hash_state(harness::StateHasher& hasher) const {
  hasher.add(versions_.size());
  for (const auto& version : versions_) {
    hasher.add(version->size());
    for (const auto& [key, value] : *version) {
      hasher.add(static_cast<std::uint64_t>(key));
      hasher.add(static_cast<std::uint64_t>(value));
    }
  }
}

const CowMap::Snapshot& CowMap::load() { return *load_versioned().second; }

std::pair<std::uint64_t, const CowMap::Snapshot*> CowMap::load_versioned() {
  const std::uint64_t seen = current_.load();
  return {seen, versions_.at(seen).get()};
}

bool CowMap::publish(std::uint64_t seen, Snapshot next) {
  versions_.push_back(std::make_shared<const Snapshot>(std::move(next)));
  const std::uint64_t mine = versions_.size() - 1;
  if (!cas_retry_) {
    current_.store(mine);  // no lock: a racing writer's update can vanish
    return true;
  }
  return current_.compare_exchange(seen, mine);  // false: retry from a fresh load
}

std::optional<Value> CowMap::get(Key key) {
  const Snapshot& snap = load();
  auto it = snap.find(key);
  if (it == snap.end()) return std::nullopt;
  return it->second;
}

// Every write: load, copy, change the copy, publish; with cas_retry again
// until the CompareAndSwap succeeds.
void CowMap::put(Key key, Value value) {
  for (;;) {
    auto [seen, snap] = load_versioned();
    Snapshot next = *snap;
    next[key] = value;
    if (publish(seen, std::move(next))) return;
  }
}

void CowMap::update(Key key, const std::function<Value(Value)>& next_value) {
  for (;;) {
    auto [seen, snap] = load_versioned();  // one load: the copy's old value is the snapshot's
    Snapshot next = *snap;
    auto it = next.find(key);
    next[key] = next_value(it == next.end() ? 0 : it->second);
    if (publish(seen, std::move(next))) return;
  }
}

void CowMap::erase(Key key) {
  for (;;) {
    auto [seen, snap] = load_versioned();
    Snapshot next = *snap;
    next.erase(key);
    if (publish(seen, std::move(next))) return;
  }
}

std::int64_t CowMap::len() { return static_cast<std::int64_t>(load().size()); }

void CowMap::range(const std::function<bool(Key, Value)>& visit) {
  const std::shared_ptr<const Snapshot> snap = versions_.at(current_.load());
  for (const auto& [key, value] : *snap)
    if (!visit(key, value)) return;
}

void CowMap::clear() {
  if (!cas_retry_) {
    publish(0, Snapshot{});  // a plain Store of an empty map: no load needed
    return;
  }
  for (;;) {
    const std::uint64_t seen = load_versioned().first;
    if (publish(seen, Snapshot{})) return;
  }
}

std::pair<Value, bool> CowMap::get_or_put(Key key, Value value) {
  for (;;) {
    auto [seen, snap] = load_versioned();
    Snapshot next = *snap;
    auto [it, inserted] = next.try_emplace(key, value);
    if (!inserted) return {it->second, true};
    if (publish(seen, std::move(next))) return {value, false};
  }
}

std::optional<Value> CowMap::get_and_delete(Key key) {
  for (;;) {
    auto [seen, snap] = load_versioned();
    Snapshot next = *snap;
    auto it = next.find(key);
    if (it == next.end()) return std::nullopt;
    const Value old = it->second;
    next.erase(it);
    if (publish(seen, std::move(next))) return old;
  }
}

std::vector<std::pair<Key, Value>> CowMap::snapshot() const {
  const Snapshot& snap = *versions_.at(current_.peek());
  return {snap.begin(), snap.end()};
}

}  // namespace maps
