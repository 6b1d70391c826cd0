#include "maps/go/heap.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "harness/harness.hpp"

namespace maps::goruntime {

bptr Heap::alloc(std::uint64_t n) {
  // Racing growths can leave B out of step with the arrays; a bound keeps a
  // wild B from asking this process for terabytes.
  if (n > kMaxBuckets || total_ + n > kMaxBuckets)
    harness::fail(harness::OutcomeKind::kException,
                  fmt::format("map '{}': the model's heap limit of {} buckets is reached (asked for {} more)",
                              map_name_, kMaxBuckets, n));
  blocks_.push_back(Block{std::make_unique<bmap[]>(n), n});
  total_ += n;
  return bptr{static_cast<std::uint32_t>(blocks_.size()), 0};
}

void Heap::zero(bptr b, std::uint64_t n, std::string_view what) {
  if (b.block == 0 || b.block > blocks_.size()) wild(b, what);
  Block& block = blocks_[b.block - 1];
  if (b.index > block.size || n > block.size - b.index) wild(bptr{b.block, std::max(b.index, block.size)}, what);
  for (std::uint64_t i = b.index; i < b.index + n; ++i) block.buckets[i] = bmap{};
}

namespace {
void hash_bmap(const bmap& bucket, harness::StateHasher& hasher) {
  std::uint64_t tophash = 0;
  for (int i = 0; i < bucketCnt; ++i) tophash |= std::uint64_t{bucket.tophash[static_cast<std::size_t>(i)]} << (8 * i);
  hasher.add(tophash);
  for (std::int64_t key : bucket.keys) hasher.add(static_cast<std::uint64_t>(key));
  for (std::int64_t elem : bucket.elems) hasher.add(static_cast<std::uint64_t>(elem));
  hasher.add(bucket.overflow.block);
  hasher.add(bucket.overflow.index);
}
}  // namespace

void Heap::hash_bucket(bptr b, harness::StateHasher& hasher) const {
  hasher.add(b.block);
  hasher.add(b.index);
  if (b.index >= allocation_size(b)) {  // nil, or outside every allocation
    hasher.add(0xbad);
    return;
  }
  hash_bmap(blocks_[b.block - 1].buckets[b.index], hasher);
}

void Heap::hash_state(harness::StateHasher& hasher) const {
  hasher.add(blocks_.size());
  for (const Block& block : blocks_) {
    hasher.add(block.size);
    for (std::uint64_t i = 0; i < block.size; ++i) hash_bmap(block.buckets[i], hasher);
  }
}

std::uint64_t Heap::allocation_size(bptr b) const {
  if (b.block == 0 || b.block > blocks_.size()) return 0;
  return blocks_[b.block - 1].size;
}

void Heap::wild(bptr b, std::string_view what) const {
  if (b.block == 0) {
    // runtime.sigpanic: a fault below 0x1000 is a nil dereference (a
    // recoverable panic); anything else is "unexpected fault address".
    if (b.index < 0x1000 / bucketSize)
      harness::panic("runtime error: invalid memory address or nil pointer dereference");
    harness::fatal("fault");
  }
  const std::uint64_t size = b.block <= blocks_.size() ? blocks_[b.block - 1].size : 0;
  // The numbers go to the step's note, not the message: one class per kind
  // of access, however far out it reached.
  if (harness::recording()) harness::note(fmt::format("bucket {} of a {}-bucket allocation", b.index, size));
  harness::fail(harness::OutcomeKind::kCorruption,
                fmt::format("map '{}': {} reaches past the end of a bucket array, outside every allocation (real "
                            "Go reads whatever memory lies there)",
                            map_name_, what));
}

void Heap::cycle(std::string_view what) const {
  harness::fail(harness::OutcomeKind::kCorruption,
                fmt::format("map '{}': {} walks an overflow chain that goes round in a circle (real Go loops for ever)",
                            map_name_, what));
}

}  // namespace maps::goruntime
