// Sets of fibers (runnable sets, sleep sets, backtrack sets): FiberId{i} is
// a member or not. Every operation on them lives here.
//
// The first 64 ids live in one inline word, so the sets of ordinary
// programs are a machine word and cost no allocation; ids from 64 on (up to
// kMaxFibers) spill into heap words. Only a program with that many fibers
// pays for them. Members are always visited in ascending id order.
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "harness/ids.hpp"

namespace harness {

class FiberSet {
 public:
  FiberSet() = default;
  static FiberSet of(FiberId id) {
    FiberSet set;
    set.insert(id);
    return set;
  }

  bool empty() const { return low_ == 0 && high_.empty(); }
  /// The set as words: ids 0-63, then each further 64 (no trailing empty word).
  std::uint64_t low_word() const { return low_; }
  std::span<const std::uint64_t> high_words() const { return high_; }
  static FiberSet from_words(std::uint64_t low, std::span<const std::uint64_t> high) {
    FiberSet set;
    set.low_ = low;
    set.high_.assign(high.begin(), high.end());
    set.trim();
    return set;
  }
  /// Only ids 0-63 are members (the common case: one word, no heap).
  bool within_first_word() const { return high_.empty(); }
  /// Replaces the members with ids 0-63 by those of `word` (bit i: id i).
  void set_low_word(std::uint64_t word) { low_ = word; }
  /// Empties the set, keeping its heap words' capacity for reuse.
  void clear() {
    low_ = 0;
    if (!high_.empty()) high_.clear();
  }
  /// Two or more members: a real choice.
  bool several() const {
    if (high_.empty()) return (low_ & (low_ - 1)) != 0;
    return size() >= 2;
  }
  bool contains(FiberId id) const {
    const std::uint32_t i = index(id);
    if (i < 64) return ((low_ >> i) & 1U) != 0;
    const std::size_t word = i / 64 - 1;
    return word < high_.size() && ((high_[word] >> (i % 64)) & 1U) != 0;
  }
  void insert(FiberId id) {
    const std::uint32_t i = index(id);
    if (i < 64) {
      low_ |= std::uint64_t{1} << i;
      return;
    }
    const std::size_t word = i / 64 - 1;
    if (word >= high_.size()) high_.resize(word + 1, 0);
    high_[word] |= std::uint64_t{1} << (i % 64);
  }
  void erase(FiberId id) {
    const std::uint32_t i = index(id);
    if (i < 64) {
      low_ &= ~(std::uint64_t{1} << i);
      return;
    }
    const std::size_t word = i / 64 - 1;
    if (word < high_.size()) high_[word] &= ~(std::uint64_t{1} << (i % 64));
    trim();
  }
  std::uint64_t size() const {
    std::uint64_t count = static_cast<std::uint64_t>(std::popcount(low_));
    for (const std::uint64_t word : high_) count += static_cast<std::uint64_t>(std::popcount(word));
    return count;
  }
  /// The member with the lowest id. REQUIRES: a non-empty set.
  FiberId lowest() const {
    if (low_ != 0) return FiberId{static_cast<std::uint32_t>(std::countr_zero(low_))};
    for (std::size_t w = 0; w < high_.size(); ++w)
      if (high_[w] != 0) return FiberId{static_cast<std::uint32_t>(64 * (w + 1) + std::countr_zero(high_[w]))};
    return FiberId{0};  // unreachable for a non-empty set
  }
  /// The members with ids below `n`.
  FiberSet below(std::uint32_t n) const {
    FiberSet part;
    part.low_ = n >= 64 ? low_ : low_ & ((std::uint64_t{1} << n) - 1);
    for (std::size_t w = 0; w < high_.size(); ++w) {
      const std::uint64_t first = 64 * (w + 1);  // the word's lowest id
      if (first >= n) break;
      const std::uint64_t span = n - first;
      part.high_.push_back(span >= 64 ? high_[w] : high_[w] & ((std::uint64_t{1} << span) - 1));
    }
    part.trim();
    return part;
  }
  /// The members with ids from `n` on.
  FiberSet from(std::uint32_t n) const {
    FiberSet part = *this;
    part -= below(n);
    return part;
  }

  FiberSet& operator|=(const FiberSet& other) {
    low_ |= other.low_;
    if (other.high_.size() > high_.size()) high_.resize(other.high_.size(), 0);
    for (std::size_t w = 0; w < other.high_.size(); ++w) high_[w] |= other.high_[w];
    return *this;
  }
  FiberSet& operator&=(const FiberSet& other) {
    low_ &= other.low_;
    if (high_.size() > other.high_.size()) high_.resize(other.high_.size());
    for (std::size_t w = 0; w < high_.size(); ++w) high_[w] &= other.high_[w];
    trim();
    return *this;
  }
  /// Set difference: the members of this set that `other` lacks.
  FiberSet& operator-=(const FiberSet& other) {
    low_ &= ~other.low_;
    const std::size_t common = std::min(high_.size(), other.high_.size());
    for (std::size_t w = 0; w < common; ++w) high_[w] &= ~other.high_[w];
    trim();
    return *this;
  }
  friend FiberSet operator|(FiberSet a, const FiberSet& b) { return a |= b; }
  friend FiberSet operator&(FiberSet a, const FiberSet& b) { return a &= b; }
  friend FiberSet operator-(FiberSet a, const FiberSet& b) { return a -= b; }
  friend bool operator==(const FiberSet&, const FiberSet&) = default;

  /// Visits the members in ascending order: `for (FiberId f : set)`.
  class Iterator {
   public:
    Iterator(const FiberSet* set, std::size_t word) : set_(set), word_(word), bits_(word_bits(word)) { settle(); }
    FiberId operator*() const {
      return FiberId{static_cast<std::uint32_t>(64 * word_ + static_cast<std::size_t>(std::countr_zero(bits_)))};
    }
    Iterator& operator++() {
      bits_ &= bits_ - 1;
      settle();
      return *this;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.word_ == b.word_ && a.bits_ == b.bits_; }

   private:
    std::uint64_t word_bits(std::size_t word) const {
      if (word == 0) return set_->low_;
      return word - 1 < set_->high_.size() ? set_->high_[word - 1] : 0;
    }
    void settle() {  // on to the next word with a member, or the end
      while (bits_ == 0 && word_ < set_->high_.size() + 1) bits_ = word_bits(++word_);
    }
    const FiberSet* set_;
    std::size_t word_;
    std::uint64_t bits_;
  };
  Iterator begin() const { return Iterator(this, 0); }
  Iterator end() const { return Iterator(this, high_.size() + 1); }

 private:
  void trim() {  // no trailing empty words: equal sets compare equal
    while (!high_.empty() && high_.back() == 0) high_.pop_back();
  }

  std::uint64_t low_ = 0;             ///< ids 0-63
  std::vector<std::uint64_t> high_;   ///< high_[w]: ids 64(w+1) to 64(w+1)+63
};

inline FiberSet bit(FiberId id) { return FiberSet::of(id); }
inline bool contains(const FiberSet& set, FiberId id) { return set.contains(id); }
/// Members of the set.
inline std::uint64_t size(const FiberSet& set) { return set.size(); }
/// The member with the lowest id. REQUIRES: a non-empty set.
inline FiberId lowest(const FiberSet& set) { return set.lowest(); }
/// The k-th member (from 0, ascending). REQUIRES: k < size(set).
inline FiberId nth_member(const FiberSet& set, std::uint64_t k) {
  for (const FiberId member : set)
    if (k-- == 0) return member;
  return FiberId{0};  // unreachable when k < size(set)
}
/// "{0,2}": how traces and messages print a set.
inline std::string format_fiber_set(const FiberSet& set) {
  std::string text = "{";
  bool first = true;
  for (const FiberId member : set) {
    if (!first) text += ',';
    text += std::to_string(index(member));
    first = false;
  }
  return text + "}";
}

}  // namespace harness
