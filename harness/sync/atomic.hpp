// sync/atomic for code under test: every operation is one preemption point,
// and the value is read or written when the step is taken, so a load and a
// later store of the same fiber can be separated by other fibers' steps.
// Sequentially consistent: the engine explores interleavings, not weak-memory
// reorderings.
#pragma once

#include <string>
#include <type_traits>
#include <utility>


#include "harness/harness.hpp"
#include "harness/state/hash_value.hpp"
#include "harness/sync/note_value.hpp"

namespace harness {

template <typename T>
class Atomic final : private StateSource {
  static_assert(std::is_trivially_copyable_v<T>, "Atomic<T> needs a trivially copyable T, as std::atomic does");

 public:
  explicit Atomic(T initial = T{}, std::string name = "atomic")
      : ref_("atomic", std::move(name), StateHashable<T> ? static_cast<const StateSource*>(this) : nullptr), value_(initial) {}
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  T load() {
    point("atomic.load", ref_.id(), AccessKind::kRead);
    race_acquire(ref_.id());  // Go's atomics synchronise: a load sees what came before the store it reads
    describe("read", value_);
    return value_;
  }

  void store(T desired) {
    point("atomic.store", ref_.id(), AccessKind::kWrite);
    race_release(ref_.id());
    describe("wrote", desired);
    value_ = desired;
  }

  T exchange(T desired) {
    point("atomic.exchange", ref_.id(), AccessKind::kRmw);
    synchronise();
    describe("swapped in", desired);
    return std::exchange(value_, desired);
  }

  /// Go's CompareAndSwap: on failure `expected` receives the current value.
  bool compare_exchange(T& expected, T desired) {
    point("atomic.compare-exchange", ref_.id(), AccessKind::kRmw);
    synchronise();
    if (value_ == expected) {
      describe("swapped in", desired);
      value_ = desired;
      return true;
    }
    describe("found", value_);
    expected = value_;
    return false;
  }

  T fetch_add(T delta)
    requires std::is_integral_v<T>
  {
    point("atomic.fetch-add", ref_.id(), AccessKind::kRmw);
    synchronise();
    describe("read", value_);
    return std::exchange(value_, static_cast<T>(value_ + delta));
  }

  /// The value without a preemption point: for end-of-execution checks.
  T peek() const { return value_; }
  ObjectId id() { return ref_.id(); }

 private:
  /// A read-modify-write: acquire and release.
  void synchronise() {
    race_acquire(ref_.id());
    race_release(ref_.id());
  }
  static void describe(const char* verb, const T& value) { detail::note_value(verb, value); }

  void hash_state(StateHasher& hasher) const override {
    if constexpr (StateHashable<T>) hash_value(hasher, value_);
  }

  ObjectRef ref_;
  T value_;
};

}  // namespace harness
