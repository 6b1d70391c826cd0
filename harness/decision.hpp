// One nondeterministic choice an execution made. The list of decisions is all
// a replay needs: scheduling choices and data choices share one list, in the
// order they were taken (shuttle's Schedule, loom's Path).
#pragma once

#include <cstdint>
#include <string>

#include "harness/fiber_set.hpp"
#include "harness/ids.hpp"

namespace harness {

struct Decision {
  enum class Kind : unsigned char { kSchedule, kData };
  Kind kind = Kind::kSchedule;
  /// kSchedule: the step whose fiber was chosen. kData: the number of steps
  /// taken when the value was drawn (it is drawn while step `step - 1` runs).
  std::uint64_t step = 0;
  std::uint64_t value = 0;  ///< the chosen fiber's index, or the chosen data value
  /// kData: the number of options (unused for kSchedule).
  std::uint64_t options = 0;
  std::string label;        ///< kData only: what the value is for
  FiberSet runnable;        ///< kSchedule only: the set it chose from

  friend bool operator==(const Decision&, const Decision&) = default;
};

}  // namespace harness
