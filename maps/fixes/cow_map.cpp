#include "maps/fixes/cow_map.hpp"

namespace maps {

CowMap::CowMap(std::string name) : current_(0, std::move(name)) {
  versions_.push_back(std::make_shared<const Snapshot>());
}

const CowMap::Snapshot& CowMap::load() { return *versions_.at(current_.load()); }

void CowMap::store(Snapshot next) {
  versions_.push_back(std::make_shared<const Snapshot>(std::move(next)));
  current_.store(versions_.size() - 1);
}

std::optional<Value> CowMap::get(Key key) {
  const Snapshot& snap = load();
  auto it = snap.find(key);
  if (it == snap.end()) return std::nullopt;
  return it->second;
}

void CowMap::put(Key key, Value value) {
  Snapshot next = load();  // read and copy…
  next[key] = value;       // …modify…
  store(std::move(next));  // …and store, with no lock: a racing writer's update can vanish
}

void CowMap::update(Key key, const std::function<Value(Value)>& next) {
  Snapshot copy = load();  // one load: the copy's old value is the snapshot's
  auto it = copy.find(key);
  copy[key] = next(it == copy.end() ? 0 : it->second);
  store(std::move(copy));
}

void CowMap::erase(Key key) {
  Snapshot next = load();
  next.erase(key);
  store(std::move(next));
}

std::int64_t CowMap::len() { return static_cast<std::int64_t>(load().size()); }

void CowMap::range(const std::function<bool(Key, Value)>& visit) {
  const std::shared_ptr<const Snapshot> snap = versions_.at(current_.load());
  for (const auto& [key, value] : *snap)
    if (!visit(key, value)) return;
}

void CowMap::clear() { store(Snapshot{}); }

std::pair<Value, bool> CowMap::get_or_put(Key key, Value value) {
  Snapshot next = load();
  auto [it, inserted] = next.try_emplace(key, value);
  if (!inserted) return {it->second, true};
  store(std::move(next));
  return {value, false};
}

std::optional<Value> CowMap::get_and_delete(Key key) {
  Snapshot next = load();
  auto it = next.find(key);
  if (it == next.end()) return std::nullopt;
  const Value old = it->second;
  next.erase(it);
  store(std::move(next));
  return old;
}

std::vector<std::pair<Key, Value>> CowMap::snapshot() const {
  const Snapshot& snap = *versions_.at(current_.peek());
  return {snap.begin(), snap.end()};
}

}  // namespace maps
