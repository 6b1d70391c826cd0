// What a shared object tells stateful search about itself.
//
// Stateful search (harness/strategy/stateful.hpp) merges two schedules that
// reach the same state. The state of a run is (1) the shared objects'
// contents, which each object reports through this interface, and (2) each
// goroutine's local state, which the engine never sees. Instead of (2) the
// engine keeps, per goroutine, a digest of everything it observed: at each of
// its steps, the step's label and what the step may read of every object it
// names, taken just before the step runs (harness/state/state_tracker.hpp).
// Code is deterministic given what it reads, so two goroutines with equal
// digests are in equal local states.
//
// That argument holds only if a step reads nothing shared outside the
// objects it names (the rule partial-order reduction relies on too) and
// every object it names reports its contents here. An object registered
// without a StateSource makes the run's state unknown: stateful search then
// prunes nothing and says which object it was.
#pragma once

#include "harness/access.hpp"
#include "harness/ids.hpp"
#include "harness/state/state_digest.hpp"

namespace harness {

class StateSource {
 public:
  virtual ~StateSource() = default;
  /// The whole state this source keeps, whatever step may read it.
  virtual void hash_state(StateHasher& hasher) const = 0;
  /// Everything a step naming `object` (one this source registered: itself,
  /// or a part of it) with `access` may read, with the part's own identity
  /// (not its id, which depends on the order objects were first used).
  /// By default: nothing for a step that only overwrites the object
  /// (kWrite: what it writes comes from what the goroutine read before),
  /// everything otherwise. A source whose kWrite steps also read overrides it.
  virtual void hash_observed(ObjectId object, AccessKind access, StateHasher& hasher) const {
    (void)object;
    if (access != AccessKind::kWrite) hash_state(hasher);
  }
};

}  // namespace harness
