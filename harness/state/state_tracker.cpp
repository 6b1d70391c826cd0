#include "harness/state/state_tracker.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace harness {

void StateTracker::reset() {
  sources_.clear();
  source_of_object_.clear();
  stepped_ = false;
  fibers_.clear();
  host_ = StateDigest{};
  recovered_ = StateDigest{};
  any_recovered_ = false;
  forget_finished_ = false;
  untracked_.clear();
}

void StateTracker::registered(ObjectId object, const StateSource* source, std::string_view kind,
                              std::string_view name) {
  if (source_of_object_.size() <= index(object)) source_of_object_.resize(index(object) + 1, kNoSource);
  if (source == nullptr) {
    source_of_object_[index(object)] = kNoSource;
    untracked(fmt::format("{} '{}'", kind, name));
    return;
  }
  source_of_object_[index(object)] = add_source(*source, false);
}

void StateTracker::add_source(const StateSource& source) { add_source(source, true); }

std::uint32_t StateTracker::add_source(const StateSource& source, bool outside_objects) {
  for (std::uint32_t i = 0; i < sources_.size(); ++i) {
    if (sources_[i].source != &source) continue;
    sources_[i].outside_objects = sources_[i].outside_objects || outside_objects;
    return i;
  }
  sources_.push_back(Source{&source, outside_objects, false, StateDigest{}});
  return static_cast<std::uint32_t>(sources_.size() - 1);
}

void StateTracker::invalidate(ObjectId object) {
  if (object == kNoObject) return;
  if (const std::uint32_t at = source_of(object); at != kNoSource) sources_[at].cached = false;
}

void StateTracker::untracked(std::string what) {
  if (untracked_.empty()) untracked_ = std::move(what);
}

void StateTracker::spawned(std::uint32_t child, std::uint32_t spawner) {
  if (fibers_.size() <= child) fibers_.resize(child + 1);
  StateHasher hasher(chain(spawner));
  hasher.add(0x5ba5 /* spawn */);
  hasher.add(child);
  const StateDigest start = hasher.digest();
  chain(spawner) = start;  // the spawner knows it spawned
  fibers_[child] = FiberState{start, false};
}

void StateTracker::finished(std::uint32_t fiber) { fibers_[fiber].finished = true; }

void StateTracker::hash_object(ObjectId object, AccessKind access, StateHasher& hasher) {
  if (object == kNoObject) return;
  const std::uint32_t at = source_of(object);
  if (at == kNoSource) {
    untracked(fmt::format("object {}", index(object)));
    return;
  }
  sources_[at].source->hash_observed(object, access, hasher);
}

void StateTracker::stepped(std::uint32_t fiber, const Operation& operation) {
  stepped_ = true;
  auto may_write = [](AccessKind access) { return access != AccessKind::kRead && access != AccessKind::kNone; };
  if (may_write(operation.access)) invalidate(operation.object);
  for (const Touch& touch : operation.also)
    if (may_write(touch.access)) invalidate(touch.object);
  StateHasher hasher(fibers_[fiber].chain);
  hasher.add_text(operation.label);
  hasher.add(static_cast<std::uint64_t>(operation.access));
  hash_object(operation.object, operation.access, hasher);
  for (const Touch& touch : operation.also) {
    if (touch.object == kNoObject) break;
    hasher.add(static_cast<std::uint64_t>(touch.access));
    hash_object(touch.object, touch.access, hasher);
  }
  fibers_[fiber].chain = hasher.digest();
}

void StateTracker::chose(std::uint32_t who, std::uint64_t value) {
  StateHasher hasher(chain(who));
  hasher.add(0xc405e /* choice */);
  hasher.add(value);
  chain(who) = hasher.digest();
}

void StateTracker::set_local(std::uint32_t fiber, const StateDigest& local) {
  StateHasher hasher;
  hasher.add(0x10ca1 /* declared */);
  hasher.add(local);
  fibers_[fiber].chain = hasher.digest();
}

void StateTracker::recovered(std::string_view message) {
  if (any_recovered_) return;  // the outcome names the first one only
  any_recovered_ = true;
  StateHasher hasher;
  hasher.add_text(message);
  recovered_ = hasher.digest();
}

StateDigest StateTracker::digest() const {
  StateHasher hasher;
  for (const Source& source : sources_) {
    if (!source.cached || source.outside_objects || !stepped_) {
      StateHasher own;
      source.source->hash_state(own);
      source.digest = own.digest();
      source.cached = true;
    }
    hasher.add(source.digest);
  }
  hasher.add(fibers_.size());
  for (const FiberState& fiber : fibers_) {
    hasher.add(fiber.finished ? 1 : 0);
    if (!(fiber.finished && forget_finished_)) hasher.add(fiber.chain);
  }
  hasher.add(host_);
  hasher.add(any_recovered_ ? 1 : 0);
  hasher.add(recovered_);
  return hasher.digest();
}

}  // namespace harness
