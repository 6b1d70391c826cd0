// Sets of fibers as 64-bit masks (runnable sets, sleep sets, backtrack sets):
// bit i is FiberId{i}. Every operation on them lives here.
#pragma once

#include <bit>
#include <cstdint>
#include <string>

#include "harness/ids.hpp"

namespace harness {

using FiberSet = std::uint64_t;

constexpr FiberSet bit(FiberId id) { return FiberSet{1} << index(id); }
constexpr bool contains(FiberSet set, FiberId id) { return (set & bit(id)) != 0; }
/// Members of the set.
constexpr std::uint64_t size(FiberSet set) { return static_cast<std::uint64_t>(std::popcount(set)); }
/// The member with the lowest id. REQUIRES: a non-empty set.
constexpr FiberId lowest(FiberSet set) { return FiberId{static_cast<std::uint32_t>(std::countr_zero(set))}; }
/// The k-th member (from 0, ascending). REQUIRES: k < size(set).
constexpr FiberId nth_member(FiberSet set, std::uint64_t k) {
  for (; k > 0; --k) set &= set - 1;  // drop the lowest member
  return lowest(set);
}
/// "{0,2}": how traces and messages print a set.
inline std::string format_fiber_set(FiberSet set) {
  std::string text = "{";
  for (bool first = true; set != 0; set &= set - 1, first = false) {
    if (!first) text += ',';
    text += std::to_string(index(lowest(set)));
  }
  return text + "}";
}

}  // namespace harness
