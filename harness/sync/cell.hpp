// Shared plain data for code under test (loom's UnsafeCell): every get() and
// set() is a preemption point that names this cell as its object, with
// AccessKind kRead or kWrite. So the scheduler explores the orders in which
// fibers read and write a plain variable, and partial-order reduction sees
// two reads as independent and a read against a write as a conflict.
//
// A Cell models a plain variable, not an atomic: it promises nothing about
// atomicity across calls (update() is a read step then a write step, so two
// concurrent update()s can lose one), and it does not report data races by
// itself. Like Atomic, values are sequentially consistent: the engine explores
// interleavings, not weak-memory reorderings. Outside an execution every call
// is a plain access.
#pragma once

#include <string>
#include <type_traits>
#include <utility>


#include "harness/harness.hpp"
#include "harness/state/hash_value.hpp"
#include "harness/sync/note_value.hpp"

namespace harness {

template <typename T>
class Cell final : private StateSource {
 public:
  explicit Cell(T initial = T{}, std::string name = "cell")
      : ref_("cell", std::move(name), StateHashable<T> ? static_cast<const StateSource*>(this) : nullptr), value_(std::move(initial)) {}
  Cell(const Cell&) = delete;
  Cell& operator=(const Cell&) = delete;

  /// Reads the value (one kRead step).
  T get() {
    point("cell.read", ref_.id(), AccessKind::kRead);
    race_read(ref_.id(), "cell read");
    describe("read", value_);
    return value_;
  }

  /// Overwrites the value (one kWrite step).
  void set(T value) {
    point("cell.write", ref_.id(), AccessKind::kWrite);
    race_write(ref_.id(), "cell write");
    describe("wrote", value);
    value_ = std::move(value);
  }

  /// Reads, applies `f` and writes back: two steps, so another fiber may
  /// write in between (a non-atomic `x = f(x)`, the lost-update shape).
  template <typename F>
  void update(F&& f) {
    T next = std::forward<F>(f)(get());
    set(std::move(next));
  }

  /// Calls `f` with a const reference to the value as one kRead step, for
  /// a T too large to copy at every read.
  template <typename F>
  decltype(auto) with(F&& f) {
    point("cell.read", ref_.id(), AccessKind::kRead);
    race_read(ref_.id(), "cell read");
    return std::forward<F>(f)(std::as_const(value_));
  }

  /// Calls `f` with a mutable reference as one kWrite step: an in-place
  /// change that no other fiber interleaves with (one store of a struct).
  template <typename F>
  decltype(auto) with_mut(F&& f) {
    point("cell.write", ref_.id(), AccessKind::kWrite);
    race_write(ref_.id(), "cell write");
    return std::forward<F>(f)(value_);
  }

  /// The value without a preemption point: for end-of-execution checks.
  const T& peek() const { return value_; }
  ObjectId id() { return ref_.id(); }

 private:
  static void describe(const char* verb, const T& value) { detail::note_value(verb, value); }

  void hash_state(StateHasher& hasher) const override {
    if constexpr (StateHashable<T>) hash_value(hasher, value_);
  }

  ObjectRef ref_;
  T value_;
};

}  // namespace harness
