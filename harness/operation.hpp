// What a fiber announces at a preemption point: the step it is about to take.
#pragma once

#include <array>
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

/// One more object an operation touches, and how (Operation::also).
struct Touch {
  ObjectId object = kNoObject;
  AccessKind access = AccessKind::kNone;
};

/// REQUIRES: `label` outlives the execution (in practice: a string literal).
/// Labels name the step the way the code under test names it, e.g.
/// "mapassign.set-writing"; they must not contain white space.
struct Operation {
  std::string_view label;
  ObjectId object = kNoObject;
  AccessKind access = AccessKind::kNone;
  const Blocker* blocker = nullptr;  ///< null: always enabled
  /// Fine-grained objects, for partial-order reduction only (traces and
  /// replay know `object` and `access`). A model whose one indivisible step
  /// touches several objects names the others here; two steps conflict when
  /// any object of one conflicts with any object of the other. Filled from
  /// the front (also[1] only when also[0] is set).
  std::array<Touch, 2> also{};
  /// The object that `object` and `also` are parts of (a map whose words
  /// are objects of their own), or kNoObject. A step that names the whole
  /// as its `object` conflicts with every step on any part of it: a step
  /// whose footprint is too large or not known in advance names the whole.
  ObjectId whole = kNoObject;
};

}  // namespace harness
