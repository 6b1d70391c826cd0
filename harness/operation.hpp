// What a fiber announces at a preemption point: the step it is about to take.
#pragma once

#include <string>
#include <string_view>

#include "harness/access.hpp"
#include "harness/ids.hpp"

namespace harness {

/// Implemented by a primitive whose operation can block (a lock, a join).
/// The scheduler asks it, at every step, whether the pending operation may
/// run now; a fiber whose operation is not enabled is not runnable.
class Blocker {
 public:
  virtual ~Blocker() = default;
  /// True when `fiber` may perform its pending operation now.
  virtual bool enabled(FiberId fiber) const = 0;
  /// What `fiber` waits for, in words, for deadlock reports.
  virtual std::string describe_wait(FiberId fiber) const = 0;
};

/// REQUIRES: `label` outlives the execution (in practice: a string literal).
/// Labels name the step the way the code under test names it, e.g.
/// "mapassign.set-writing"; they must not contain white space.
struct Operation {
  std::string_view label;
  ObjectId object = kNoObject;
  AccessKind access = AccessKind::kNone;
  const Blocker* blocker = nullptr;  ///< null: always enabled
};

}  // namespace harness
