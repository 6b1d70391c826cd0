// The benchmark models written against Relacy (Debian's relacy-dev), compiled
// in their own file: Relacy's headers redefine new, malloc and std names.
#pragma once

#include <cstdint>

namespace relacy_models {

struct Result {
  std::uint64_t executions = 0;  ///< iterations Relacy ran
  double seconds = 0;
  bool failed = false;  ///< Relacy reported a failure (the deadlock)
};

/// Two threads do `rounds` times: load, store load+1 (seq_cst atomics), with
/// Relacy's exhaustive scheduler; no assertion, so the whole space runs.
Result lost_update(int rounds);
/// Two threads lock two mutexes in opposite orders; Relacy stops at the
/// first deadlock.
Result lock_order_inversion();

}  // namespace relacy_models
