// Per-goroutine storage for code under test: what `thread_local` is to OS
// threads. All fibers of an execution run on one OS thread, so a
// `thread_local` variable is shared by every simulated goroutine (and kept
// from one execution to the next); a FiberLocal<T> gives each fiber its own
// value, starting from `initial` the first time that fiber touches it in
// each execution. The host (setup and at_end code) has a value of its own.
// Access is not a preemption point: the value is private to its fiber.
// Outside an execution there is a single value.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "harness/ids.hpp"

namespace harness {

namespace detail {
/// Who is running, for FiberLocal: the execution's generation (0 outside
/// one) and the running fiber (none on the host and outside an execution).
struct FiberLocalKey {
  std::uint64_t generation = 0;
  std::optional<FiberId> fiber;
};
FiberLocalKey fiber_local_key();
}  // namespace detail

template <typename T>
class FiberLocal {
 public:
  explicit FiberLocal(T initial = T{}) : initial_(std::move(initial)) {}
  FiberLocal(const FiberLocal&) = delete;
  FiberLocal& operator=(const FiberLocal&) = delete;

  /// The running fiber's value.
  T& get() {
    const detail::FiberLocalKey key = detail::fiber_local_key();
    if (key.generation != generation_) {
      generation_ = key.generation;
      values_.clear();
      host_.reset();
    }
    std::optional<T>& slot = key.fiber ? values_[index(*key.fiber)] : host_;
    if (!slot) slot.emplace(initial_);
    return *slot;
  }
  T& operator*() { return get(); }
  T* operator->() { return &get(); }

 private:
  T initial_;
  std::uint64_t generation_ = 0;
  std::map<std::uint32_t, std::optional<T>> values_;  ///< by fiber index
  std::optional<T> host_;
};

}  // namespace harness
