// One step of an execution as the trace's log shows it to a person and as a
// replay checks it: who ran, what it did, to what, and who else could have.
#pragma once

#include <cstdint>
#include <string>

#include "harness/access.hpp"
#include "harness/fiber_set.hpp"
#include "harness/ids.hpp"

namespace harness {

struct Event {
  std::uint64_t step = 0;
  FiberId fiber{};
  std::string label;
  ObjectId object = kNoObject;
  AccessKind access = AccessKind::kNone;
  FiberSet runnable;  ///< the fibers that could have been chosen
  std::string detail;     ///< what the step read or wrote, when recorded

  friend bool operator==(const Event&, const Event&) = default;
};

}  // namespace harness
