// sync.Map, Go 1.19, method by method (reference §8).
#include "maps/sync_map.hpp"

#include <fmt/format.h>

namespace maps {

SyncMap::SyncMap(std::string name) : mu_(name + ".mu"), read_(0, name + ".read") {
  versions_.push_back(std::make_shared<const ReadOnly>());
  // Its dirty map, boxes and miss count are state no object reports.
  harness::state_untracked("sync.Map '" + name + "' (its dirty map and entries are not in the state digest)");
}

const SyncMap::ReadOnly& SyncMap::load_read_only() { return *versions_.at(read_.load()); }

void SyncMap::publish(std::shared_ptr<const ReadOnly> read) {
  versions_.push_back(std::move(read));
  read_.store(versions_.size() - 1);
}

std::uint64_t SyncMap::box(Value value) {
  boxes_.push_back(value);
  return boxes_.size() + 1;  // ids 0 and 1 are nil and expunged
}

std::optional<Value> SyncMap::entry_load(Entry& e) {
  const std::uint64_t p = e.p.load();
  if (p == kNil || p == kExpunged) return std::nullopt;
  return boxes_[p - 2];
}

bool SyncMap::try_store(Entry& e, std::uint64_t new_box) {
  for (;;) {
    std::uint64_t p = e.p.load();
    if (p == kExpunged) return false;
    if (e.p.compare_exchange(p, new_box)) return true;
  }
}

bool SyncMap::unexpunge_locked(Entry& e) {
  std::uint64_t expected = kExpunged;
  return e.p.compare_exchange(expected, kNil);
}

bool SyncMap::try_expunge_locked(Entry& e) {
  std::uint64_t p = e.p.load();
  while (p == kNil) {
    std::uint64_t expected = kNil;
    if (e.p.compare_exchange(expected, kExpunged)) {
      ++expunged_count_;
      return true;
    }
    p = e.p.load();
  }
  return p == kExpunged;
}

SyncMap::LoadOrStoreResult SyncMap::try_load_or_store(Entry& e, Value value) {
  std::uint64_t p = e.p.load();
  if (p == kExpunged) return {0, false, false};
  if (p != kNil) return {boxes_[p - 2], true, true};
  const std::uint64_t ic = box(value);  // copy the interface after the first load
  for (;;) {
    std::uint64_t expected = kNil;
    if (e.p.compare_exchange(expected, ic)) return {value, false, true};
    p = e.p.load();
    if (p == kExpunged) return {0, false, false};
    if (p != kNil) return {boxes_[p - 2], true, true};
  }
}

std::optional<Value> SyncMap::entry_delete(Entry& e) {
  for (;;) {
    std::uint64_t p = e.p.load();
    if (p == kNil || p == kExpunged) return std::nullopt;
    if (e.p.compare_exchange(p, kNil)) return boxes_[p - 2];
  }
}

void SyncMap::miss_locked() {
  ++misses_;
  if (misses_ < static_cast<std::int64_t>(dirty_->size())) return;
  auto promoted = std::make_shared<ReadOnly>();
  promoted->m = std::move(*dirty_);
  publish(std::move(promoted));
  dirty_.reset();
  misses_ = 0;
  ++promotions_;
}

void SyncMap::dirty_locked() {
  if (dirty_) return;
  const ReadOnly& read = load_read_only();
  dirty_ = std::make_unique<EntryMap>();
  for (const auto& [key, e] : read.m)
    if (!try_expunge_locked(*e)) (*dirty_)[key] = e;
}

void SyncMap::new_key_locked(Key key, Value value) {
  const ReadOnly& read = load_read_only();
  if (!read.amended) {
    // The first new key since the last promotion: copy read into dirty and
    // mark read as incomplete.
    dirty_locked();
    auto amended = std::make_shared<ReadOnly>();
    amended->m = load_read_only().m;
    amended->amended = true;
    publish(std::move(amended));
  }
  (*dirty_)[key] = std::make_shared<Entry>(box(value), key);
}

std::shared_ptr<SyncMap::Entry> SyncMap::find_entry(Key key, bool remove_from_dirty) {
  const ReadOnly* read = &load_read_only();
  auto it = read->m.find(key);
  std::shared_ptr<Entry> e = it == read->m.end() ? nullptr : it->second;
  if (!e && read->amended) {
    mu_.lock();
    // Reload: dirty may have been promoted while we waited for the lock.
    read = &load_read_only();
    it = read->m.find(key);
    e = it == read->m.end() ? nullptr : it->second;
    if (!e && read->amended) {
      if (auto d = dirty_->find(key); d != dirty_->end()) {
        e = d->second;
        if (remove_from_dirty) dirty_->erase(d);
      }
      // A miss either way: the key is slow to reach until promotion.
      miss_locked();
    }
    mu_.unlock();
  }
  return e;
}

std::optional<Value> SyncMap::load(Key key) {
  const std::shared_ptr<Entry> e = find_entry(key, false);
  if (!e) return std::nullopt;
  return entry_load(*e);
}

void SyncMap::store(Key key, Value value) {
  {
    const ReadOnly& read = load_read_only();
    auto it = read.m.find(key);
    if (it != read.m.end() && try_store(*it->second, box(value))) return;
  }
  mu_.lock();
  const ReadOnly& read = load_read_only();
  if (auto it = read.m.find(key); it != read.m.end()) {
    const std::shared_ptr<Entry> e = it->second;
    if (unexpunge_locked(*e)) (*dirty_)[key] = e;  // it was expunged: dirty is non-nil and lacks it
    e->p.store(box(value));
  } else if (auto d = dirty_ ? dirty_->find(key) : EntryMap::iterator{}; dirty_ && d != dirty_->end()) {
    d->second->p.store(box(value));
  } else {
    new_key_locked(key, value);
  }
  mu_.unlock();
}

std::pair<Value, bool> SyncMap::load_or_store(Key key, Value value) {
  {
    const ReadOnly& read = load_read_only();
    if (auto it = read.m.find(key); it != read.m.end()) {
      const LoadOrStoreResult result = try_load_or_store(*it->second, value);
      if (result.ok) return {result.actual, result.loaded};
    }
  }
  mu_.lock();
  std::pair<Value, bool> result;
  const ReadOnly& read = load_read_only();
  if (auto it = read.m.find(key); it != read.m.end()) {
    const std::shared_ptr<Entry> e = it->second;
    if (unexpunge_locked(*e)) (*dirty_)[key] = e;
    const LoadOrStoreResult r = try_load_or_store(*e, value);
    result = {r.actual, r.loaded};
  } else if (auto d = dirty_ ? dirty_->find(key) : EntryMap::iterator{}; dirty_ && d != dirty_->end()) {
    const std::shared_ptr<Entry> e = d->second;
    const LoadOrStoreResult r = try_load_or_store(*e, value);
    result = {r.actual, r.loaded};
    miss_locked();
  } else {
    new_key_locked(key, value);
    result = {value, false};
  }
  mu_.unlock();
  return result;
}

std::optional<Value> SyncMap::load_and_delete(Key key) {
  const std::shared_ptr<Entry> e = find_entry(key, true);
  if (e) return entry_delete(*e);  // outside the lock: the key stays in read as a tombstone
  return std::nullopt;
}

void SyncMap::range_all(const std::function<bool(Key, Value)>& visit) {
  std::shared_ptr<const ReadOnly> read = versions_.at(read_.load());
  if (read->amended) {
    mu_.lock();
    read = versions_.at(read_.load());
    if (read->amended) {  // promote dirty so the whole map can be ranged lock-free
      auto promoted = std::make_shared<ReadOnly>();
      promoted->m = std::move(*dirty_);
      read = promoted;
      publish(std::move(promoted));
      dirty_.reset();
      misses_ = 0;
      ++promotions_;
    }
    mu_.unlock();
  }
  for (const auto& [key, e] : read->m) {
    std::optional<Value> value = entry_load(*e);
    if (!value) continue;
    if (!visit(key, *value)) break;
  }
}

std::int64_t SyncMap::len() {
  std::int64_t n = 0;
  range_all([&n](Key, Value) {
    ++n;
    return true;
  });
  return n;
}

void SyncMap::clear() {
  std::vector<Key> keys;
  range_all([&keys](Key key, Value) {
    keys.push_back(key);
    return true;
  });
  for (Key key : keys) remove(key);
}

std::vector<std::pair<Key, Value>> SyncMap::snapshot() const {
  std::map<Key, Value> live;
  auto add = [&](const EntryMap& m) {
    for (const auto& [key, e] : m) {
      const std::uint64_t p = e->p.peek();
      if (p != kNil && p != kExpunged) live[key] = boxes_[p - 2];
    }
  };
  add(versions_.at(read_.peek())->m);
  if (dirty_) add(*dirty_);
  return {live.begin(), live.end()};
}

std::optional<std::string> SyncMap::check_invariants() {
  const ReadOnly& read = *versions_.at(read_.peek());
  if (!dirty_) {
    if (read.amended) return std::string("sync.Map: read is amended but dirty is nil");
    return std::nullopt;
  }
  // dirty holds every non-expunged entry of read, as the same entry.
  for (const auto& [key, e] : read.m) {
    const std::uint64_t p = e->p.peek();
    auto d = dirty_->find(key);
    if (p == kExpunged && d != dirty_->end())
      return fmt::format("sync.Map: key {} is expunged but present in dirty", key);
    if (p != kExpunged && p != kNil && (d == dirty_->end() || d->second != e))
      return fmt::format("sync.Map: key {} is live in read but not the same entry in dirty", key);
  }
  // A key only dirty holds must be announced by amended. The converse is no
  // invariant: Go 1.19's Delete/LoadAndDelete of the only dirty-only key
  // leaves amended true until the next promotion.
  bool extra = false;
  for (const auto& [key, e] : *dirty_) extra |= read.m.find(key) == read.m.end();
  if (extra && !read.amended) return std::string("sync.Map: dirty has a key that read lacks, but read is not amended");
  return std::nullopt;
}

}  // namespace maps
