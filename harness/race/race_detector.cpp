#include "harness/race/race_detector.hpp"

#include <algorithm>

namespace harness {

void RaceDetector::reset() {
  fibers_.clear();
  host_.clear();
  syncs_.clear();
  shadows_.clear();
  first_.reset();
}

RaceDetector::Clock& RaceDetector::clock(FiberId fiber) {
  if (fibers_.size() <= index(fiber)) fibers_.resize(index(fiber) + 1);
  return fibers_[index(fiber)];
}

void RaceDetector::join_into(Clock& into, const Clock& from) {
  if (into.size() < from.size()) into.resize(from.size(), 0);
  for (std::size_t i = 0; i < from.size(); ++i) into[i] = std::max(into[i], from[i]);
}

void RaceDetector::spawn(std::optional<FiberId> parent, FiberId child) {
  Clock start = parent ? clock(*parent) : host_;
  if (start.size() <= index(child)) start.resize(index(child) + 1, 0);
  start[index(child)] += 1;  // its own first epoch
  clock(child) = std::move(start);
  if (parent) clock(*parent)[index(*parent)] += 1;  // what it does next is not before the child's start
}

void RaceDetector::join(FiberId joiner, FiberId joined) {
  const Clock ended = clock(joined);
  join_into(clock(joiner), ended);
}

void RaceDetector::acquire(FiberId fiber, ObjectId sync, unsigned part) {
  const std::size_t slot = std::size_t{index(sync)} * 2 + (part & 1);
  if (syncs_.size() <= slot) return;  // nothing released there yet
  join_into(clock(fiber), syncs_[slot]);
}

void RaceDetector::release(FiberId fiber, ObjectId sync, unsigned part) {
  const std::size_t slot = std::size_t{index(sync)} * 2 + (part & 1);
  if (syncs_.size() <= slot) syncs_.resize(slot + 1);
  Clock& own = clock(fiber);
  join_into(syncs_[slot], own);
  own[index(fiber)] += 1;  // later accesses are not covered by this release
}

bool RaceDetector::ordered(const Access& earlier, FiberId now) {
  if (earlier.fiber == now) return true;
  const Clock& c = clock(now);
  return index(earlier.fiber) < c.size() && earlier.epoch <= c[index(earlier.fiber)];
}

std::optional<DataRace> RaceDetector::access(FiberId fiber, ObjectId object, bool write, std::string_view what,
                                             std::uint64_t at_step) {
  if (shadows_.size() <= index(object)) shadows_.resize(index(object) + 1);
  Shadow& shadow = shadows_[index(object)];
  const Clock& own = clock(fiber);
  const std::uint32_t epoch = index(fiber) < own.size() ? own[index(fiber)] : 0;
  std::optional<DataRace> found;
  auto race_with = [&](const Access& earlier, bool earlier_write) {
    if (found || ordered(earlier, fiber)) return;
    found = DataRace{object, earlier.fiber, earlier_write, earlier.what, fiber, write, what, earlier.at_step, at_step};
  };
  if (shadow.write) race_with(*shadow.write, true);
  if (write) {
    for (const Access& read : shadow.reads) race_with(read, false);
    shadow.write = Access{fiber, epoch, what, at_step};
    shadow.reads.clear();
  } else {
    const auto mine = std::find_if(shadow.reads.begin(), shadow.reads.end(),
                                   [&](const Access& a) { return a.fiber == fiber; });
    if (mine != shadow.reads.end()) *mine = Access{fiber, epoch, what, at_step};
    else shadow.reads.push_back(Access{fiber, epoch, what, at_step});
  }
  if (found && !first_) {
    first_ = found;
    return found;
  }
  return std::nullopt;
}

}  // namespace harness
