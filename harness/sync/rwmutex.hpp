// sync.RWMutex for code under test, with Go's writer preference: once a
// writer is waiting, new readers block until it has had its turn.
//
// As in Go 1.19's rwmutex.go, Lock() is two steps: the writer first claims
// the lock (excluding other writers and, from then on, new readers), then
// waits for the readers already inside to leave. Both are preemption points.
#pragma once

#include <optional>
#include <string>

#include "harness/harness.hpp"

namespace harness {

class RWMutex final : private StateSource {
 public:
  explicit RWMutex(std::string name = "rwmutex") : ref_("rwmutex", std::move(name), this) {}
  RWMutex(const RWMutex&) = delete;
  RWMutex& operator=(const RWMutex&) = delete;

  void lock();
  void unlock();
  void rlock();
  void runlock();

  ObjectId id() { return ref_.id(); }

 private:
  // One gate per way of waiting, so each can say what it waits for.
  struct Gate final : Blocker {
    enum class Kind { kClaim, kDrain, kRead } kind;
    const RWMutex* owner;
    Gate(Kind k, const RWMutex* o) : kind(k), owner(o) {}
    bool enabled(FiberId) const override;
    std::string describe_wait(FiberId) const override;
  };

  void hash_state(StateHasher& hasher) const override {
    hasher.add(writer_ ? index(*writer_) + 1 : 0);
    hasher.add(writer_inside_ ? 1 : 0);
    hasher.add(static_cast<std::uint64_t>(readers_));
  }

  ObjectRef ref_;
  std::optional<FiberId> writer_;  ///< has claimed the lock (maybe still draining readers)
  bool writer_inside_ = false;     ///< has the lock, readers drained
  int readers_ = 0;                ///< readers inside
  Gate claim_gate_{Gate::Kind::kClaim, this};
  Gate drain_gate_{Gate::Kind::kDrain, this};
  Gate read_gate_{Gate::Kind::kRead, this};
};

}  // namespace harness
