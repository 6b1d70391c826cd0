// sync.WaitGroup for code under test: add/done/wait are preemption points;
// wait() blocks until the counter is zero; a negative counter panics as Go's.
#pragma once

#include <string>

#include "harness/harness.hpp"

namespace harness {

class WaitGroup final : private Blocker, private StateSource {
 public:
  explicit WaitGroup(std::string name = "waitgroup") : ref_("waitgroup", std::move(name), this) {}
  WaitGroup(const WaitGroup&) = delete;
  WaitGroup& operator=(const WaitGroup&) = delete;

  void add(int delta);
  void done();
  void wait();

  ObjectId id() { return ref_.id(); }

 private:
  bool enabled(FiberId) const override { return counter_ == 0; }
  std::string describe_wait(FiberId) const override;
  void apply(int delta);
  void hash_state(StateHasher& hasher) const override { hasher.add(static_cast<std::uint64_t>(counter_)); }

  ObjectRef ref_;
  int counter_ = 0;
};

}  // namespace harness
