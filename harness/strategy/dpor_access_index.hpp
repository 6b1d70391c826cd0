// Where dpor looks for the earlier steps a new step may depend on. For each
// object and each fiber: that fiber's events that touch the object (as their
// object or an `also` touch), and its events that are parts of the object
// (name it as their whole); and the joins (a wait on no object), which depend
// on everything. A step can depend only on the events filed under the
// objects it touches and its whole, and on the joins, so the race search
// reads those lists, newest first, and for each fiber stops at the first
// dependent event (the latest is all it needs): a step on an object no other
// fiber touches costs O(1), however long the execution.
//
// Event numbers are appended in increasing order, so every list is sorted;
// truncate() forgets the events of an abandoned branch.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "harness/ids.hpp"

namespace harness {

class DporAccessIndex {
 public:
  using List = std::vector<std::size_t>;
  /// One fiber's events filed under one object.
  struct FiberList {
    FiberId fiber;
    List events;
  };
  /// Per object, the fibers that touched it (few, in order of first touch).
  using ByFiber = std::vector<FiberList>;

  /// Files `event` of `fiber`, which touches `touched` (kNoObject entries
  /// are skipped) and is a part of `whole` (or kNoObject); `join`: a wait on
  /// no object.
  void add(std::size_t event, FiberId fiber, const std::array<ObjectId, 3>& touched, ObjectId whole, bool join) {
    if (join) joins_.push_back(event);
    for (const ObjectId object : touched)
      if (object != kNoObject) list(touching_, object, fiber).push_back(event);
    if (whole != kNoObject) list(parts_of_, whole, fiber).push_back(event);
  }
  /// Forgets the join added last (a temporary one).
  void drop_newest_join() { joins_.pop_back(); }

  /// Forgets every event numbered `events` or more.
  void truncate(std::size_t events) {
    auto cut = [events](List& l) {
      while (!l.empty() && l.back() >= events) l.pop_back();
    };
    cut(joins_);
    for (std::vector<ByFiber>* table : {&touching_, &parts_of_})
      for (ByFiber& by_fiber : *table)
        for (FiberList& l : by_fiber) cut(l.events);
  }

  /// The tables holding every earlier event that may depend on a step which
  /// touches `touched` and is a part of `whole` (not a join: a join depends
  /// on every event), appended to `out`, possibly with repeats.
  void tables_for(const std::array<ObjectId, 3>& touched, ObjectId whole, std::vector<const ByFiber*>& out) const {
    for (const ObjectId object : touched) {
      if (object == kNoObject) continue;
      if (const ByFiber* t = find(touching_, object)) out.push_back(t);  // the same object
      if (const ByFiber* t = find(parts_of_, object)) out.push_back(t);  // parts of an object this step names whole
    }
    if (whole != kNoObject) {
      if (const ByFiber* t = find(touching_, whole)) out.push_back(t);  // steps that name this step's whole
    }
  }
  const List& joins() const { return joins_; }
  /// Every fiber's events that touch `object`, or null.
  const ByFiber* touching(ObjectId object) const { return find(touching_, object); }

 private:
  static List& list(std::vector<ByFiber>& table, ObjectId object, FiberId fiber) {
    if (index(object) >= table.size()) table.resize(index(object) + 1);
    ByFiber& by_fiber = table[index(object)];
    for (FiberList& l : by_fiber)
      if (l.fiber == fiber) return l.events;
    return by_fiber.emplace_back(FiberList{fiber, {}}).events;
  }
  static const ByFiber* find(const std::vector<ByFiber>& table, ObjectId object) {
    return index(object) < table.size() ? &table[index(object)] : nullptr;
  }

  List joins_;
  std::vector<ByFiber> touching_;  ///< by object
  std::vector<ByFiber> parts_of_;  ///< by whole
};

}  // namespace harness
