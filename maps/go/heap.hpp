// GoMap's memory: every bucket array and overflow bucket a map allocates,
// addressed by handles and checked on every access.
//
// Contract:
// - An allocation lives as long as the Heap (one map, so one execution):
//   Go's GC keeps an old array alive while anyone still points into it, so an
//   access through a stale handle reads the stale storage, as Go would.
// - A handle is (allocation, bucket index). Arithmetic on it (`plus`) is
//   unchecked, like Go's add(); only a dereference (`at`) is checked:
//   * the nil handle plus a small offset is Go's nil dereference: the
//     recoverable run-time panic "invalid memory address or nil pointer
//     dereference" (Go turns faults below 0x1000 into it); a larger offset
//     from nil is Go's throw "fault" (unexpected fault address);
//   * an index past the end of its allocation is an access outside every
//     allocation, which real Go would make into whatever memory lies there:
//     the execution ends with outcome `corruption`, naming the access.
//   Nothing is ever read or written outside the model's own storage.
// - Deterministic: handles number allocations in order; no address leaks
//   into any outcome or trace.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/state/state_digest.hpp"
#include "maps/go/hmap.hpp"

namespace maps::goruntime {

class Heap {
 public:
  /// At most this many buckets over all allocations (about 600 MB).
  static constexpr std::uint64_t kMaxBuckets = std::uint64_t{1} << 22;

  explicit Heap(std::string map_name) : map_name_(std::move(map_name)) {}

  /// `n` zeroed buckets in one allocation (a zeroed bucket is empty).
  bptr alloc(std::uint64_t n);
  /// Zeroes `n` buckets from `b` on (mapclear's in-place reuse); past the
  /// end of the allocation it is a wild access (see `at`).
  void zero(bptr b, std::uint64_t n, std::string_view what);
  /// Buckets in the allocation `b` points into; 0 for nil.
  std::uint64_t allocation_size(bptr b) const;
  /// Buckets from `b` to the end of its allocation (0 for nil or past it):
  /// how many a bucket array starting at `b` can hold.
  std::uint64_t buckets_from(bptr b) const {
    const std::uint64_t size = allocation_size(b);
    return size - std::min<std::uint64_t>(b.index, size);
  }
  /// Buckets allocated so far over all allocations: no overflow chain that
  /// visits each bucket once can be longer.
  std::uint64_t total_buckets() const { return total_; }

  /// The bucket `b` points to. `what` names the access for the message when
  /// it is outside the model's memory (see the contract); then it does not
  /// return.
  bmap& at(bptr b, std::string_view what) const {
    if (b.block == 0 || b.block > blocks_.size() || b.index >= blocks_[b.block - 1].size) [[unlikely]]
      wild(b, what);
    return blocks_[b.block - 1].buckets[b.index];
  }

  /// Adds bucket `b`'s contents (or that it lies outside every
  /// allocation) to a state digest; never ends the execution.
  void hash_bucket(bptr b, harness::StateHasher& hasher) const;
  /// Adds every allocation, bucket by bucket.
  void hash_state(harness::StateHasher& hasher) const;

  /// Ends the execution: an overflow chain longer than every bucket there is
  /// goes round in a circle (real Go would loop for ever).
  [[noreturn]] void cycle(std::string_view what) const;

 private:
  struct Block {
    std::unique_ptr<bmap[]> buckets;
    std::uint64_t size;
  };
  [[noreturn]] void wild(bptr b, std::string_view what) const;

  std::string map_name_;
  std::vector<Block> blocks_;
  std::uint64_t total_ = 0;
};

/// Counts the hops of a walk along an overflow chain and ends the execution
/// if the chain is a cycle.
class ChainGuard {
 public:
  ChainGuard(const Heap& heap, std::string_view what) : heap_(heap), what_(what) {}
  void hop() {
    if (++hops_ > heap_.total_buckets()) [[unlikely]]
      heap_.cycle(what_);
  }

 private:
  const Heap& heap_;
  std::string_view what_;
  std::uint64_t hops_ = 0;
};

}  // namespace maps::goruntime
